// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICandidateRegistry} from "../interfaces/ICandidateRegistry.sol";

/// @notice Test-only operator contract that tries to refund itself twice: its receive() calls refund again.
/// With `rejectPayment` set it refuses the deposit instead, to show a failed payment changes nothing.
contract ReentrantOperator {
    ICandidateRegistry public immutable registry;
    address public candidate;
    bool public rejectPayment;
    uint256 public received;
    bytes public reentryError;

    error ReentrantOperatorRejects();

    constructor(ICandidateRegistry registry_) {
        registry = registry_;
    }

    function register(ICandidateRegistry.Application calldata app) external payable {
        candidate = app.candidate;
        registry.registerCandidate{value: msg.value}(app);
    }

    function withdraw() external {
        registry.withdraw(candidate);
    }

    function setRejectPayment(bool reject) external {
        rejectPayment = reject;
    }

    // Reentering from receive() is the point of this contract.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (rejectPayment) revert ReentrantOperatorRejects();
        received += msg.value;
        try registry.refund(candidate) {
            reentryError = "";
        } catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}
