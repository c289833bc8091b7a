const KEY = 'tongpin.chunkReloadAt';

/**
 * A tab opened before a deploy asks for chunks whose hashes are gone (the server answers 404): load the new build
 * instead, at most once in ten seconds so that a server which truly lacks a file does not reload the page forever.
 */
export function reloadOnStaleChunk(): void {
  window.addEventListener('vite:preloadError', (event) => {
    try {
      if (Date.now() - Number(sessionStorage.getItem(KEY) ?? 0) < 10_000) return;
      sessionStorage.setItem(KEY, String(Date.now()));
    } catch {
      return; /* no storage, so no loop guard: the error surfaces instead */
    }
    event.preventDefault();
    window.location.reload();
  });
}
