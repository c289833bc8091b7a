import type { ButtonProps } from 'naive-ui';
import type { InputHTMLAttributes } from 'vue';

/** Puts a data-test attribute on the native <input> inside a Naive UI NInput. */
export function inputTest(name: string): InputHTMLAttributes {
  return { 'data-test': name } as unknown as InputHTMLAttributes;
}

/** Button props carrying a data-test attribute (for dialog.warning positive buttons). */
export function buttonTest(name: string): ButtonProps {
  return { 'data-test': name } as unknown as ButtonProps;
}
