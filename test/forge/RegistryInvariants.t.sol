// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICandidateRegistry} from "../../contracts/interfaces/ICandidateRegistry.sol";
import {IVoteRegistry} from "../../contracts/interfaces/IVoteRegistry.sol";
import {RegistryHandler} from "./RegistryHandler.sol";

/// @notice Stateful invariant fuzzing: forge calls the handler's actions in random order with random inputs
/// (register, vote, revoke, delegate, transfer, withdraw, revoke candidate, rotate key, slash, refund, withdraw
/// refund, parameter changes, time jumps) and checks every invariant after each call.
contract RegistryInvariants {
    RegistryHandler internal handler;

    function setUp() public {
        handler = new RegistryHandler();
    }

    /// @notice One campaign checks every invariant after every call (one campaign per invariant would cost five).
    function invariant_registries() public view {
        _depositAccounting();
        _oneLiveRegistration();
        _approvalsWithinCap();
        _noDeadApprovalCounts();
        _slashedNeverRegistersAgain();
    }

    /// @dev forge fuzzes only the handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice The registry holds exactly the deposits of unsettled records plus every withdrawable balance
    /// (address(0)'s balance is what was burned).
    function _depositAccounting() internal view {
        ICandidateRegistry registry = handler.registry();
        uint256 owed;
        for (uint256 c = 0; c < handler.CANDIDATES(); ++c) owed += registry.getCandidate(handler.candidate(c)).deposit;
        address[5] memory accounts = [
            handler.OPERATOR(),
            handler.SUBMITTER(),
            handler.TREASURY(),
            address(0),
            address(handler)
        ];
        for (uint256 i = 0; i < accounts.length; ++i) owed += registry.withdrawable(accounts[i]);
        require(address(registry).balance == owed, "balance != deposits held + withdrawable balances");
    }

    /// @notice A candidate is Active exactly when the ghost says a registration stands, and then its nonce is
    /// that registration's (odd) one: one live registration per candidate.
    function _oneLiveRegistration() internal view {
        ICandidateRegistry registry = handler.registry();
        for (uint256 c = 0; c < handler.CANDIDATES(); ++c) {
            ICandidateRegistry.Candidate memory record = registry.getCandidate(handler.candidate(c));
            bool active = record.status == ICandidateRegistry.CandidateStatus.Active;
            require(active == (handler.standing(c) != 0), "Active differs from the ghost");
            if (active) {
                require(record.registrationNonce == handler.standing(c), "registration differs from the ghost");
                require(record.registrationNonce % 2 == 1, "an active registration has an even nonce");
            }
        }
    }

    /// @notice No voter holds more approvals than the cap that stood when its ballot last grew.
    function _approvalsWithinCap() internal view {
        IVoteRegistry votes = handler.votes();
        for (uint256 v = 0; v < handler.VOTERS(); ++v) {
            uint256 held = votes.votesOf(handler.voter(v)).length;
            require(held <= handler.capAtLastGrowth(v), "ballot above the cap");
        }
    }

    /// @notice An approval counts only for the registration it was cast for: the contract's live approvals are
    /// exactly the ghost approvals naming the standing registration, and the weighted tallies agree.
    function _noDeadApprovalCounts() internal view {
        IVoteRegistry votes = handler.votes();
        for (uint256 c = 0; c < handler.CANDIDATES(); ++c) {
            uint256 fromGhost;
            uint256 fromContract;
            for (uint256 v = 0; v < handler.VOTERS(); ++v) {
                address voter = handler.voter(v);
                uint256 power = handler.token().getVotes(voter);
                uint256 ghost = handler.approved(v, c);
                if (ghost != 0 && ghost == handler.standing(c)) fromGhost += power;
                IVoteRegistry.Approval[] memory approvals = votes.approvalsOf(voter);
                for (uint256 k = 0; k < approvals.length; ++k) {
                    if (approvals[k].candidate != handler.candidate(c)) continue;
                    require(approvals[k].registration == ghost, "approval names another registration");
                    if (approvals[k].live) fromContract += power;
                }
            }
            require(fromGhost == fromContract, "weighted tally differs from the ghost");
        }
    }

    /// @notice A slashed candidate never stands again, and its keys stay bound to it.
    function _slashedNeverRegistersAgain() internal view {
        ICandidateRegistry registry = handler.registry();
        for (uint256 c = 0; c < handler.CANDIDATES(); ++c) {
            if (!handler.slashed(c)) continue;
            address who = handler.candidate(c);
            require(registry.getCandidate(who).status == ICandidateRegistry.CandidateStatus.Slashed, "slashed revived");
            (address owner, ) = registry.keyOwner(handler.vmAddr(handler.keyOf(c)));
            require(owner == who, "slashed key unbound");
        }
    }
}
