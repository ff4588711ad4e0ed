// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @title IVoteRegistry
/// @notice Approval voting weighted by an ERC-5805 voting token, kept incrementally: each voter's approval set
/// grows and shrinks by explicit adds and revokes; the VoteCast/VoteRevoked events are its history.
///
/// Rule: the votes of candidate c in the election at L1 block B are the sum, over the voters whose approval of
/// c's current registration stands at B, of votingToken().getPastVotes(voter, B). Every approval carries the
/// voter's whole voting power. An approval names the registration it was cast for (the candidate's
/// registrationNonce then); once that registration ends (withdraw, revocation, slashing) the approval is dead
/// for ever: it counts for nothing, even if the candidate registers again, until the voter revokes it or a new
/// vote for the candidate replaces it. Casting a vote never reads the token.
interface IVoteRegistry {
    /// @notice One approval as returned by approvalsOf.
    struct Approval {
        address candidate;
        uint256 registration; // the candidate's registrationNonce when the approval was cast
        bool live; // the candidate is Active with that same registration
    }

    /// @notice `candidate` is not an active candidate, so it cannot be approved.
    error VoteRegistryNotCandidate(address candidate);
    /// @notice `voter` already approves the current registration of `candidate`.
    error VoteRegistryAlreadyApproved(address voter, address candidate);
    /// @notice `voter` holds no approval of `candidate` (live or dead), so there is nothing to revoke.
    error VoteRegistryNotApproved(address voter, address candidate);
    /// @notice The change would give `voter` `count` approvals, above the limit `maxVotesPerVoter`.
    error VoteRegistryTooManyVotes(address voter, uint256 count, uint256 maxVotesPerVoter);
    /// @notice A vote must add or revoke at least one candidate.
    error VoteRegistryEmptyVote(address voter);
    /// @notice The signed vote expired at `deadline`.
    error VoteRegistryExpiredSignature(uint256 deadline);
    /// @notice The signature recovered to `signer`, not to `voter`.
    error VoteRegistryInvalidSigner(address signer, address voter);
    /// @notice `maxVotesPerVoter` is zero or above MAX_VOTES_LIMIT.
    error VoteRegistryInvalidMaxVotes(uint256 maxVotesPerVoter);
    /// @notice The voting token must be a contract.
    error VoteRegistryInvalidToken(address token);
    /// @notice renounceOwnership is disabled: the registry must always have an owner.
    error VoteRegistryRenounceDisabled();

    /// @notice `voter` approved registration `registration` of `candidate` (its weight is the voter's power).
    event VoteCast(address indexed voter, address indexed candidate, uint256 registration);
    /// @notice `voter` withdrew its approval of registration `registration` of `candidate` (live or dead).
    event VoteRevoked(address indexed voter, address indexed candidate, uint256 registration);
    /// @notice `voter` cancelled its outstanding signed votes: the next voteBySig must carry `nonce`.
    event SignedVotesCancelled(address indexed voter, uint256 nonce);
    /// @notice The most approvals a voter may hold went from `oldMax` to `newMax`.
    event MaxVotesPerVoterChanged(uint256 oldMax, uint256 newMax);

    /// @notice Revokes the caller's approvals of `revoke`, then approves the current registrations of `add`.
    /// Adding a candidate whose approval in the ballot is dead replaces it (VoteRevoked then VoteCast). An
    /// empty vote reverts. vote() does not move the voteBySig nonce: use cancelSignedVotes for that.
    function vote(address[] calldata add, address[] calldata revoke) external;

    /// @notice The same as vote, relayed by anyone, from `voter`'s EIP-712 signature over
    /// Vote(address voter,address[] add,address[] revoke,uint256 nonce,uint256 deadline), nonce = nonces(voter).
    /// Accepted while block.timestamp <= deadline.
    function voteBySig(
        address voter,
        address[] calldata add,
        address[] calldata revoke,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Moves the caller's voteBySig nonce, so every vote it signed and nobody relayed yet is void.
    function cancelSignedVotes() external;

    /// @notice Sets the most approvals a voter may hold (owner only).
    function setMaxVotesPerVoter(uint256 maxVotesPerVoter) external;

    /// @notice The candidate registry whose candidates are voted for.
    function candidateRegistry() external view returns (address);

    /// @notice The ERC-5805 token whose past votes weigh each approval.
    function votingToken() external view returns (IVotes);

    /// @notice The candidates `voter` approves, in storage order, live or dead.
    function votesOf(address voter) external view returns (address[] memory);

    /// @notice The approvals of `voter` in storage order, with the registration each names and whether it is live.
    function approvalsOf(address voter) external view returns (Approval[] memory);

    /// @notice The nonce the next voteBySig of `voter` must carry.
    function nonces(address voter) external view returns (uint256);

    /// @notice The most approvals a voter may hold.
    function maxVotesPerVoter() external view returns (uint256);
}
