import type { Branch } from '../../shared/schemas/branches';

/** A branch as GET /api/branches lists it. */
export interface BranchRow extends Branch {
  memberCount: number;
}

/** sessionStorage key for the rows the print-slips page shows. */
export const PRINT_SLIPS_KEY = 'tongpin.printSlips';
