import { expect } from "chai";
import { measureDevicePerformance, measurePowHashRate } from "../../node/qualification/benchmark";

/** A clock that moves 1 ms each time it is read. */
function steppingClock(): () => number {
  let t = 0;
  return () => t++;
}

describe("device qualification benchmark", function () {
  it("counts whole batches against the injected clock", function () {
    // Start reads 0; the batches end at 1, 2, ... 10 ms: 10 batches of 256 hashes in 10 ms.
    expect(measurePowHashRate(10, steppingClock())).to.equal(256_000);
  });

  it("measures both rates on the real machine as positive figures", function () {
    const perf = measureDevicePerformance({ durationMsPerTest: 20 });
    expect(perf.powHashesPerSecond).to.be.greaterThan(1_000);
    expect(perf.sigVerificationsPerSecond).to.be.greaterThan(100);
  });

  it("refuses a non-positive duration", function () {
    expect(() => measurePowHashRate(0, steppingClock())).to.throw(RangeError, "must be positive");
  });
});
