import { expect } from "chai";
import pino from "pino";
import { Counter, Registry } from "prom-client";
import { z } from "zod";
import { RpcError, RpcErrorCode, defineMethod } from "../../node/rpc/rpcMethod";
import { startRpcServer, type RunningRpcServer } from "../../node/rpc/rpcServer";

describe("RPC server (real HTTP on 127.0.0.1)", () => {
  let server: RunningRpcServer;
  const registry = new Registry();
  const calls = new Counter({ name: "repchain_test_calls", help: "calls", registers: [registry] });

  before(async () => {
    server = await startRpcServer({
      host: "127.0.0.1",
      port: 0,
      log: pino({ level: "silent" }),
      metrics: registry,
      bodyLimitBytes: 4096,
      maxBatch: 3,
      pages: { "/": { contentType: "text/html", body: "<h1>repchain</h1>" } },
      methods: {
        add: defineMethod("adds two integers", z.tuple([z.number().int(), z.number().int()]), ([a, b]) => {
          calls.inc();
          return BigInt(a) + BigInt(b);
        }),
        block: defineMethod("a block by height", z.tuple([z.number().int().nonnegative()]), ([h]) => {
          if (h > 10) throw new RpcError(RpcErrorCode.NotFound, `no block at height ${h}`);
          return { height: h, hash: new Uint8Array([0xab, 0xcd]) };
        }),
        crash: defineMethod("always fails", z.tuple([]), () => {
          throw new Error("secret internal detail");
        }),
      },
    });
  });
  after(() => server.close());

  async function post(body: string): Promise<{ status: number; json: unknown }> {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }
  const call = (method: string, params: unknown, id: number = 1): Promise<{ status: number; json: unknown }> =>
    post(JSON.stringify({ jsonrpc: "2.0", id, method, params }));

  it("answers a call, with bigints as decimal strings and bytes as hex", async () => {
    expect((await call("add", [2, 40])).json).to.deep.equal({ jsonrpc: "2.0", id: 1, result: "42" });
    expect((await call("block", [3])).json).to.deep.include({ result: { height: 3, hash: "0xabcd" } });
  });

  it("reports bad params with the offending position", async () => {
    const { json } = await call("add", [1, "x"]);
    expect(json).to.have.nested.property("error.code", RpcErrorCode.InvalidParams);
    expect(json)
      .to.have.nested.property("error.message")
      .that.matches(/^params\[1\]/);
  });

  it("reports unknown methods, parse errors and invalid requests", async () => {
    expect((await call("nope", [])).json).to.have.nested.property("error.code", RpcErrorCode.MethodNotFound);
    expect((await post("{not json")).json).to.have.nested.property("error.code", RpcErrorCode.ParseError);
    expect((await post('{"hello":1}')).json).to.have.nested.property("error.code", RpcErrorCode.InvalidRequest);
  });

  it("passes typed errors through and hides internal ones", async () => {
    expect((await call("block", [99])).json).to.deep.include({
      error: { code: RpcErrorCode.NotFound, message: "no block at height 99" },
    });
    const { json } = await call("crash", []);
    expect(json).to.deep.include({ error: { code: RpcErrorCode.InternalError, message: "internal error" } });
  });

  it("answers batches as arrays, bounded in size", async () => {
    const one = await post(JSON.stringify([{ jsonrpc: "2.0", id: 7, method: "add", params: [1, 1] }]));
    expect(one.json).to.deep.equal([{ jsonrpc: "2.0", id: 7, result: "2" }]);
    const four = Array.from({ length: 4 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "add", params: [i, i] }));
    expect((await post(JSON.stringify(four))).json).to.have.nested.property("error.code", RpcErrorCode.InvalidRequest);
    expect((await post("[]")).json).to.have.nested.property("error.code", RpcErrorCode.InvalidRequest);
  });

  it("refuses a body over the limit without crashing", async () => {
    const { status } = await call("add", ["x".repeat(10_000), 1]);
    expect(status).to.equal(413);
    expect((await call("add", [1, 2])).json).to.have.property("result", "3");
  });

  it("serves metrics and pages", async () => {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    await call("add", [1, 2]);
    const after = await (await fetch(`${server.url}/metrics`)).text();
    const count = (text: string): number => Number(/repchain_test_calls (\d+)/.exec(text)?.[1]);
    expect(count(after)).to.equal(count(before) + 1);
    expect(await (await fetch(`${server.url}/`)).text()).to.equal("<h1>repchain</h1>");
  });
});
