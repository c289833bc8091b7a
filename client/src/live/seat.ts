import type { ErrorBody } from '../../../shared/errors';
import { ApiError } from '../api';

/** What a device keeps to take its seat back after a drop or reload: the rejoin token per PIN. */
export interface Seat {
  token: string;
  nickname: string | null;
}

const key = (pin: string) => `tongpin.seat.${pin}`;

export function savedSeat(pin: string): Seat | null {
  try {
    const raw = localStorage.getItem(key(pin));
    return raw ? (JSON.parse(raw) as Seat) : null;
  } catch {
    return null;
  }
}

export function rememberSeat(pin: string, seat: Seat): void {
  try {
    localStorage.setItem(key(pin), JSON.stringify(seat));
  } catch {
    /* private mode: no rejoin after a reload, a drop still rejoins from memory */
  }
}

export function forgetSeat(pin: string): void {
  try {
    localStorage.removeItem(key(pin));
  } catch {
    /* nothing saved */
  }
}

/** A refused command as the same error type REST calls throw, so pages show both the same way. */
export function ackError(error: ErrorBody): ApiError {
  return new ApiError(0, error.code, error.message);
}
