import { createServer, type AddressInfo, type Server } from "node:net";

/** A free TCP port on 127.0.0.1 (bound then released: a small race, acceptable on a devnet and in tests). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

/**
 * `count` distinct free ports: all are held open until every one is chosen, because a port that
 * was released is free again, and the next bind may get the same one (two devnet nodes did).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
