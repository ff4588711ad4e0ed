import { expect } from "chai";
import { freePorts } from "../../node/testing/freePorts";

describe("free ports for the devnet's and the tests' nodes (node/testing/freePorts.ts)", () => {
  // Ports chosen one by one (bind, release, bind again) once gave two nodes the same P2P port.
  it("hands out distinct ports however many are asked for at once", async () => {
    const ports = await freePorts(80);
    expect(new Set(ports).size).to.equal(80);
    for (const port of ports) expect(port).to.be.within(1024, 65535);
  });
});
