// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IVoteRegistry
/// @notice Approval voting kept incrementally: each voter's approval set grows and shrinks by explicit
/// adds and revokes; the VoteCast/VoteRevoked events are its history.
interface IVoteRegistry {
    /// @notice `candidate` is not an active candidate, so it cannot be approved.
    error VoteRegistryNotCandidate(address candidate);
    /// @notice `voter` already approves `candidate`.
    error VoteRegistryAlreadyApproved(address voter, address candidate);
    /// @notice `voter` does not approve `candidate`, so there is nothing to revoke.
    error VoteRegistryNotApproved(address voter, address candidate);
    /// @notice The change would give `voter` `count` approvals, above the limit `maxVotesPerVoter`.
    error VoteRegistryTooManyVotes(address voter, uint256 count, uint256 maxVotesPerVoter);
    /// @notice The signed vote expired at `deadline`.
    error VoteRegistryExpiredSignature(uint256 deadline);
    /// @notice The signature recovered to `signer`, not to `voter`.
    error VoteRegistryInvalidSigner(address signer, address voter);
    /// @notice `maxVotesPerVoter` is zero or above MAX_VOTES_LIMIT.
    error VoteRegistryInvalidMaxVotes(uint256 maxVotesPerVoter);

    /// @notice `voter` approved `candidate`.
    event VoteCast(address indexed voter, address indexed candidate);
    /// @notice `voter` withdrew its approval of `candidate`.
    event VoteRevoked(address indexed voter, address indexed candidate);
    /// @notice The most approvals a voter may hold became `maxVotesPerVoter`.
    event MaxVotesPerVoterChanged(uint256 maxVotesPerVoter);

    /// @notice Revokes the caller's approvals of `revoke`, then approves `add`.
    function vote(address[] calldata add, address[] calldata revoke) external;

    /// @notice The same as vote, relayed by anyone, from `voter`'s EIP-712 signature over
    /// Vote(voter, add, revoke, nonce = nonces(voter), deadline).
    function voteBySig(
        address voter,
        address[] calldata add,
        address[] calldata revoke,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Sets the most approvals a voter may hold (owner only).
    function setMaxVotesPerVoter(uint256 maxVotesPerVoter) external;

    /// @notice The candidate registry whose candidates are voted for.
    function candidateRegistry() external view returns (address);

    /// @notice The candidates `voter` approves, in storage order (includes removed candidates not yet revoked).
    function votesOf(address voter) external view returns (address[] memory);

    /// @notice The nonce the next voteBySig of `voter` must carry.
    function nonces(address voter) external view returns (uint256);

    /// @notice The most approvals a voter may hold.
    function maxVotesPerVoter() external view returns (uint256);
}
