/** A bad `server.properties`: the message always starts with the key that is wrong. */
export class ServerConfigError extends Error {
  constructor(readonly key: string, detail: string) {
    super(`${key}: ${detail}`);
    this.name = 'ServerConfigError';
  }
}
