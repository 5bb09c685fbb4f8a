import { createServer, type Server } from "node:net";

const host = "127.0.0.1";

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** True when nothing listens on 127.0.0.1:port right now. */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await close(await listen(port));
    return true;
  } catch {
    return false;
  }
}

/**
 * One free loopback port per name, all distinct. A preferred port (e.g. the one used last time) is kept
 * when it is still free; the others are picked by the kernel by binding port 0. Every port is held until
 * all are chosen, so no two names get the same one.
 */
export async function allocatePorts<K extends string>(
  names: readonly K[],
  preferred: Partial<Record<K, number>> = {},
): Promise<Record<K, number>> {
  const held: Server[] = [];
  const ports = {} as Record<K, number>;
  try {
    for (const name of names) {
      const want = preferred[name];
      let server: Server | undefined;
      if (want && !Object.values<number>(ports).includes(want)) {
        server = await listen(want).catch(() => undefined);
      }
      server ??= await listen(0);
      held.push(server);
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("unexpected listen address");
      ports[name] = address.port;
    }
  } finally {
    await Promise.all(held.map(close));
  }
  return ports;
}

/** One free loopback port. */
export async function freePort(): Promise<number> {
  return (await allocatePorts(["port"])).port;
}
