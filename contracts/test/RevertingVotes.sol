// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Test-only IVotes token whose every function reverts: a VoteRegistry built on it still takes votes,
/// which shows that casting a vote never reads the token.
contract RevertingVotes is IVotes {
    error RevertingVotesRead();

    function getVotes(address) external pure returns (uint256) {
        revert RevertingVotesRead();
    }

    function getPastVotes(address, uint256) external pure returns (uint256) {
        revert RevertingVotesRead();
    }

    function getPastTotalSupply(uint256) external pure returns (uint256) {
        revert RevertingVotesRead();
    }

    function delegates(address) external pure returns (address) {
        revert RevertingVotesRead();
    }

    function delegate(address) external pure {
        revert RevertingVotesRead();
    }

    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) external pure {
        revert RevertingVotesRead();
    }
}
