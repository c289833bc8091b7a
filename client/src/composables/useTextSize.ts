import { readonly, ref } from 'vue';

/**
 * The reading text size, one setting per device (ARCHITECTURE.md: "one A-/A+ setting per device, applied app-wide").
 * It scales the root font size of <html>, so everything sized in rem grows with it, and it is exposed as the CSS
 * variable --text-scale for the few things sized otherwise. Older members read study material on phones: the steps
 * go up to 150 %.
 */
export const TEXT_SIZE_STEPS = [100, 115, 130, 150] as const;
export type TextSizeStep = (typeof TEXT_SIZE_STEPS)[number];

const STORAGE_KEY = 'tongpin.textSize';
const CLASS_PREFIX = 'text-size-';

function saved(): TextSizeStep {
  try {
    const n = Number(localStorage.getItem(STORAGE_KEY));
    return (TEXT_SIZE_STEPS as readonly number[]).includes(n) ? (n as TextSizeStep) : 100;
  } catch {
    return 100;
  }
}

const size = ref<TextSizeStep>(saved());

function apply(step: TextSizeStep): void {
  const root = document.documentElement;
  root.style.setProperty('--text-scale', String(step / 100));
  // style.css sets the root size (17px, 18px on phones); a step scales whatever it is now, so rem-sized text follows.
  root.style.fontSize = '';
  if (step !== 100) {
    const base = parseFloat(getComputedStyle(root).fontSize) || 17;
    root.style.fontSize = `${Math.round(((base * step) / 100) * 100) / 100}px`;
  }
  for (const c of [...root.classList]) if (c.startsWith(CLASS_PREFIX)) root.classList.remove(c);
  root.classList.add(`${CLASS_PREFIX}${step}`);
}

let listening = false;

/** Follows other tabs (one setting per device) and the stylesheet's breakpoints; once per page. */
function listen(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('storage', (e) => {
    if (e.key === STORAGE_KEY) {
      size.value = saved();
      apply(size.value);
    }
  });
  // The stylesheet's base changes at its phone breakpoint: scale the new base (once per frame at most).
  let frame = 0;
  window.addEventListener('resize', () => {
    if (size.value === 100 || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      apply(size.value);
    });
  });
}

/** Applies the remembered size app-wide; main.ts should call it at start-up so every page (not only those with the control) uses it. */
export function applySavedTextSize(): void {
  size.value = saved();
  apply(size.value);
  listen();
}

export function useTextSize() {
  if (!listening) applySavedTextSize();

  function set(step: TextSizeStep): void {
    size.value = step;
    apply(step);
    try {
      localStorage.setItem(STORAGE_KEY, String(step));
    } catch {
      /* private mode: applies now, not remembered */
    }
  }

  const index = () => TEXT_SIZE_STEPS.indexOf(size.value);
  return {
    size: readonly(size),
    canShrink: () => index() > 0,
    canGrow: () => index() < TEXT_SIZE_STEPS.length - 1,
    shrink: () => set(TEXT_SIZE_STEPS[Math.max(0, index() - 1)] ?? 100),
    grow: () => set(TEXT_SIZE_STEPS[Math.min(TEXT_SIZE_STEPS.length - 1, index() + 1)] ?? 100),
    set,
  };
}
