// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICandidateRegistry} from "../interfaces/ICandidateRegistry.sol";

/// @notice Test-only operator contract. Its receive() tries to withdraw its refund a second time; with
/// `rejectPayment` set it refuses every payment instead, to show that an operator rejecting ETH blocks
/// nothing but its own withdrawal.
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

    function withdrawRefund(address payable to) external {
        registry.withdrawRefund(to);
    }

    function setRejectPayment(bool reject) external {
        rejectPayment = reject;
    }

    // Reentering from receive() is the point of this contract.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (rejectPayment) revert ReentrantOperatorRejects();
        received += msg.value;
        try registry.withdrawRefund(payable(address(this))) {
            reentryError = "";
        } catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}
