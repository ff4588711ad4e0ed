// solidity-coverage: measure the registries, not the test-only helper contracts.
module.exports = { skipFiles: ["test/"] };
