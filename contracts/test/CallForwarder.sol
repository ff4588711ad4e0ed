// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Test-only: calls a registry as a contract, so that msg.sender (this contract) and tx.origin (the
/// account that called forward) differ. Tests use it to show that the registries credit, blame and check
/// msg.sender, never tx.origin.
contract CallForwarder {
    /// @notice Calls `target` with `data` and the value sent, from this contract; a revert is passed on.
    function forward(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        // A forwarder has to call arbitrary data: that is its one job.
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call{value: msg.value}(data);
        if (!ok) {
            // Re-raise the callee's custom error unchanged, so tests can match it by name and arguments.
            // solhint-disable-next-line no-inline-assembly
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
