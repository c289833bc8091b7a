import type { HTMLAttributes } from 'vue';

/** Row props carrying a data-test attribute (for NDataTable row-props). */
export function rowTest(name: string): HTMLAttributes {
  return { 'data-test': name } as unknown as HTMLAttributes;
}
