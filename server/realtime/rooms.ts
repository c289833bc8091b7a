/** Socket.IO room names of live games. */
export const rooms = {
  game: (gameId: string) => `game:${gameId}`,
  hosts: (gameId: string) => `host:${gameId}`,
  player: (gameId: string, playerId: string) => `player:${gameId}:${playerId}`,
};
