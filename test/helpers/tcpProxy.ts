import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP relay on 127.0.0.1 in front of one port: a node that dials the relay instead of its peer
 * can be cut off (every relayed connection dropped, new ones closed at once) and reconnected,
 * as a network partition would do to it, without touching either process.
 */
export class TcpProxy {
  /** Connections relayed so far (the count tells a test that a peer redialed). */
  accepted = 0;
  private readonly sockets = new Set<Socket>();
  private cut = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free port and relays each connection to 127.0.0.1:`targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    server.on("connection", (client) => proxy.relay(client, targetPort));
    return proxy;
  }

  private relay(client: Socket, targetPort: number): void {
    if (this.cut) return void client.destroy();
    this.accepted++;
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        this.sockets.delete(socket);
        // One side gone: the other goes too, as a dropped link would.
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Drops every relayed connection and refuses new ones until `reconnect`. */
  cutOff(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  reconnect(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.cutOff();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
