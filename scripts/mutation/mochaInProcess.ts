/**
 * Runs mocha test files again and again in one process against the in-process Hardhat network, each time
 * as `npx hardhat test` would from a fresh start: the chain reset to its genesis, loadFixture's snapshots
 * forgotten and every module under test/ loaded anew (so no state of an earlier run leaks into the next).
 */
import Mocha from "mocha";
import { clearSnapshots } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

export interface TestRun {
  failures: number;
  /** "file › test: message" of the first failing test. */
  firstFailure?: string;
  seconds: number;
}

function forgetModulesUnder(dir: string): void {
  for (const path of Object.keys(require.cache)) {
    if (path.startsWith(dir)) delete require.cache[path];
  }
}

/** Runs `files` (absolute paths) in order; with `bail` it stops at the first failing test. */
export async function runTestFiles(
  hre: HardhatRuntimeEnvironment,
  files: string[],
  options: { bail: boolean; timeoutMs: number; skip?: RegExp },
): Promise<TestRun> {
  const started = Date.now();
  await hre.network.provider.request({ method: "hardhat_reset", params: [] });
  await clearSnapshots();
  forgetModulesUnder(hre.config.paths.tests);
  let firstFailure: string | undefined;
  class FirstFailureReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, reporterOptions: Mocha.MochaOptions) {
      super(runner, reporterOptions);
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => {
        firstFailure ??= `${test.file?.slice(hre.config.paths.root.length + 1)} › ${test.fullTitle()}: ${String(error.message).split("\n")[0]}`;
      });
    }
  }
  const mocha = new Mocha({
    ...hre.config.mocha,
    timeout: options.timeoutMs,
    bail: options.bail,
    reporter: FirstFailureReporter,
    ...(options.skip === undefined ? {} : { grep: options.skip, invert: true }),
  });
  for (const file of files) mocha.addFile(file);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  mocha.dispose();
  return { failures, firstFailure, seconds: (Date.now() - started) / 1000 };
}
