import { io, type Socket } from 'socket.io-client';
import type { StudyClientToServerEvents, StudyServerToClientEvents } from '../../../shared/studyEvents';

export type StudySocket = Socket<StudyServerToClientEvents, StudyClientToServerEvents>;

/** A typed socket on `/study`, same origin and same transport and back-off rules as `/live` (see ../socket.ts). */
export function createStudySocket(): StudySocket {
  return io('/study', {
    transports: ['websocket', 'polling'],
    withCredentials: true,
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
}
