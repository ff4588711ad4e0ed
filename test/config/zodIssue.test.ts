import { expect } from "chai";
import { z } from "zod";
import { loadConfigWith } from "../../node/config/load";
import { RUN_CONFIG_ENV, RUN_PATH_FIELDS, runConfigSchema } from "../../node/config/runSchema";
import { formatIssues } from "../../node/config/zodIssue";
import { RpcErrorCode } from "../../node/rpc/rpcMethod";
import { nodeRpcMethods } from "../../node/rpc/nodeRpcMethods";
import type { NodeView } from "../../node/rpc/nodeView";

function messageOf(schema: z.ZodType, input: unknown): string {
  const result = schema.safeParse(input);
  if (result.success) return expect.fail("expected the input to be refused");
  return formatIssues(result.error, input);
}

describe("validation messages: field, given, expected", function () {
  const cases = [
    {
      id: "a wrong type",
      schema: z.object({ port: z.number() }),
      input: { port: "x" },
      message: 'port: expected a value of type number, got "x"',
    },
    {
      id: "a missing field",
      schema: z.object({ name: z.string() }),
      input: {},
      message: "name: expected a value of type string, got nothing",
    },
    {
      id: "a number out of range",
      schema: z.object({ port: z.number().max(65535) }),
      input: { port: 70000 },
      message: "port: expected at most 65535, got 70000",
    },
    {
      id: "an option not in the list",
      schema: z.object({ level: z.enum(["info", "debug"]) }),
      input: { level: "loud" },
      message: 'level: expected one of "info", "debug", got "loud"',
    },
    {
      id: "a schema's own wording",
      schema: z.object({ url: z.url({ protocol: /^wss?$/, error: "must be a ws:// URL" }) }),
      input: { url: "http://x" },
      message: 'url: expected a ws:// URL, got "http://x"',
    },
    {
      id: "an unknown field",
      schema: z.strictObject({ a: z.number() }),
      input: { a: 1, typo: 2 },
      message: "typo: expected only the documented fields, got a field this schema does not have",
    },
    {
      id: "a nested array element",
      schema: z.object({ peers: z.array(z.string()) }),
      input: { peers: ["a", 7] },
      message: "peers[1]: expected a value of type string, got 7",
    },
  ];
  for (const { id, schema, input, message } of cases) {
    it(`names ${id}`, function () {
      expect(messageOf(schema, input)).to.equal(message);
    });
  }

  it("never echoes the value of a field named like a secret", function () {
    const message = messageOf(z.object({ privateKey: z.string().length(66) }), { privateKey: "0xdeadbeef" });
    expect(message).to.contain("privateKey").and.to.contain("(hidden)").and.not.to.contain("deadbeef");
  });

  it("config: p2pPort says what a port must be and what it got", function () {
    const flags = { rpcUrl: "http://127.0.0.1:8545", deployment: "d.json", dataDir: "data", genesis: "g.json" };
    const load = (p2pPort: unknown) => () =>
      loadConfigWith(runConfigSchema, RUN_CONFIG_ENV, RUN_PATH_FIELDS, { flags: { ...flags, p2pPort } });
    expect(load("abc")).to.throw('invalid config: p2pPort: expected a whole number, got "abc"');
    expect(load(70000)).to.throw("invalid config: p2pPort: expected at most 65535, got 70000");
  });

  it('JSON-RPC: repchain_getRepresentatives ["x"] names params[0], the value and the type', async function () {
    // Params are checked before the handler runs, so no view is ever reached.
    const methods = nodeRpcMethods({} as NodeView);
    const refused = await methods.repchain_getRepresentatives.call(["x"]).then(
      () => expect.fail("expected -32602"),
      (err: { code: number; message: string }) => err,
    );
    expect(refused.code).to.equal(RpcErrorCode.InvalidParams);
    expect(refused.message).to.equal('params[0]: expected a value of type number, got "x"');
  });
});
