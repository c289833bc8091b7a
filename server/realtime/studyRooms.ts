/** Socket.IO room names of study sessions (on the /study namespace). */
export const studyRooms = {
  session: (id: string) => `study:${id}`,
  /** The host and the presenter: they get the roster. */
  hosts: (id: string) => `study:${id}:hosts`,
  /** One user's sockets in a session (a presenter hand-over moves them into the hosts' room). */
  user: (id: string, userId: string) => `study:${id}:user:${userId}`,
};
