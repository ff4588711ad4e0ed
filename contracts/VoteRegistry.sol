// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ICandidateRegistry} from "./interfaces/ICandidateRegistry.sol";
import {IVoteRegistry} from "./interfaces/IVoteRegistry.sol";
import {PackedBallot} from "./libraries/PackedBallot.sol";

/// @title VoteRegistry
/// @notice Approval voting weighted by an ERC-5805 token, changed incrementally by adds and revokes. Each
/// approval is bound to the registration of the candidate it was cast for; approvals of an ended registration
/// are dead for ever (they still use a slot until the voter revokes them or votes for the candidate again).
/// The contract never reads the token: the weight of an approval at an election's block is the voter's
/// getPastVotes there, which the node reads from the token's own history.
contract VoteRegistry is IVoteRegistry, Ownable2Step, EIP712 {
    using PackedBallot for PackedBallot.Ballot;

    /// @notice The EIP-712 type of a relayed vote.
    bytes32 public constant VOTE_TYPEHASH = keccak256(
        "Vote(address voter,address[] add,address[] revoke,uint256 nonce,uint256 deadline)"
    );
    /// @notice The highest maxVotesPerVoter the owner may set (a ballot's count is 8 bits).
    uint256 public constant MAX_VOTES_LIMIT = PackedBallot.MAX_ENTRIES;
    /// @notice The limit at deployment.
    uint256 public constant DEFAULT_MAX_VOTES_PER_VOTER = 30;

    ICandidateRegistry private immutable _candidateRegistry;
    IVotes private immutable _votingToken;
    uint256 private _maxVotesPerVoter;
    mapping(address voter => mapping(uint256 word => uint256)) private _ballots;

    constructor(
        address initialOwner,
        ICandidateRegistry candidateRegistry_,
        IVotes votingToken_
    ) Ownable(initialOwner) EIP712("VoteRegistry", "1") {
        if (address(votingToken_).code.length == 0) revert VoteRegistryInvalidToken(address(votingToken_));
        _candidateRegistry = candidateRegistry_;
        _votingToken = votingToken_;
        _setMaxVotesPerVoter(DEFAULT_MAX_VOTES_PER_VOTER);
    }

    /// @inheritdoc IVoteRegistry
    function vote(address[] calldata add, address[] calldata revoke) external {
        _vote(msg.sender, add, revoke, false);
    }

    /// @inheritdoc IVoteRegistry
    function voteBySig(
        address voter,
        address[] calldata add,
        address[] calldata revoke,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert VoteRegistryExpiredSignature(deadline);
        (, uint256 nonce) = PackedBallot.header(_ballots[voter]);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    VOTE_TYPEHASH,
                    voter,
                    keccak256(abi.encodePacked(add)),
                    keccak256(abi.encodePacked(revoke)),
                    nonce,
                    deadline
                )
            )
        );
        address signer = ECDSA.recoverCalldata(digest, signature);
        if (signer != voter) revert VoteRegistryInvalidSigner(signer, voter);
        _vote(voter, add, revoke, true);
    }

    /// @inheritdoc IVoteRegistry
    function cancelSignedVotes() external {
        emit SignedVotesCancelled(msg.sender, PackedBallot.bumpNonce(_ballots[msg.sender]));
    }

    /// @inheritdoc IVoteRegistry
    function setMaxVotesPerVoter(uint256 maxVotesPerVoter_) external onlyOwner {
        _setMaxVotesPerVoter(maxVotesPerVoter_);
    }

    /// @notice Disabled: a registry without an owner could never change its limit again.
    function renounceOwnership() public pure override {
        revert VoteRegistryRenounceDisabled();
    }

    /// @inheritdoc IVoteRegistry
    function candidateRegistry() external view returns (address) {
        return address(_candidateRegistry);
    }

    /// @inheritdoc IVoteRegistry
    function votingToken() external view returns (IVotes) {
        return _votingToken;
    }

    /// @inheritdoc IVoteRegistry
    function votesOf(address voter) external view returns (address[] memory approved) {
        PackedBallot.Ballot memory ballot = PackedBallot.load(_ballots[voter], 0);
        approved = new address[](ballot.count);
        for (uint256 k = 0; k < ballot.count; ++k) {
            (uint256 index, ) = ballot.get(k);
            approved[k] = _candidateRegistry.candidateAt(index);
        }
    }

    /// @inheritdoc IVoteRegistry
    function approvalsOf(address voter) external view returns (Approval[] memory approvals) {
        PackedBallot.Ballot memory ballot = PackedBallot.load(_ballots[voter], 0);
        approvals = new Approval[](ballot.count);
        for (uint256 k = 0; k < ballot.count; ++k) {
            (uint256 index, uint256 registration) = ballot.get(k);
            address candidate = _candidateRegistry.candidateAt(index);
            (bool active, , , uint24 current) = _candidateRegistry.candidateIndex(candidate);
            approvals[k] = Approval(candidate, registration, active && current == registration);
        }
    }

    /// @inheritdoc IVoteRegistry
    function nonces(address voter) external view returns (uint256 nonce) {
        (, nonce) = PackedBallot.header(_ballots[voter]);
    }

    /// @inheritdoc IVoteRegistry
    function maxVotesPerVoter() external view returns (uint256) {
        return _maxVotesPerVoter;
    }

    /// @dev Revokes, then adds, in memory; writes the ballot back once. `bumpNonce` consumes a voteBySig nonce.
    function _vote(address voter, address[] calldata add, address[] calldata revoke, bool bumpNonce) private {
        if (add.length == 0 && revoke.length == 0) revert VoteRegistryEmptyVote(voter);
        uint256 limit = _maxVotesPerVoter;
        // Every added candidate ends up in the ballot, so more than the limit can never fit. Checked before
        // loading so memory stays bounded by the limit, not by the caller's arrays.
        if (add.length > limit) revert VoteRegistryTooManyVotes(voter, add.length, limit);
        mapping(uint256 => uint256) storage slots = _ballots[voter];
        PackedBallot.Ballot memory ballot = PackedBallot.load(slots, add.length);
        for (uint256 i = 0; i < revoke.length; ++i) {
            _revokeOne(ballot, voter, revoke[i]);
        }
        for (uint256 i = 0; i < add.length; ++i) {
            _addOne(ballot, voter, add[i], limit);
        }
        if (bumpNonce) ballot.nonce += 1;
        PackedBallot.store(slots, ballot);
    }

    function _revokeOne(PackedBallot.Ballot memory ballot, address voter, address candidate) private {
        // A removed candidate keeps its listing index, so its approval can still be found and revoked.
        (, bool listed, uint24 index, ) = _candidateRegistry.candidateIndex(candidate);
        (bool found, uint256 k, uint256 registration) = listed ? ballot.find(index) : (false, 0, 0);
        if (!found) revert VoteRegistryNotApproved(voter, candidate);
        ballot.removeAt(k);
        emit VoteRevoked(voter, candidate, registration);
    }

    function _addOne(PackedBallot.Ballot memory ballot, address voter, address candidate, uint256 limit) private {
        (bool active, , uint24 index, uint24 registration) = _candidateRegistry.candidateIndex(candidate);
        if (!active) revert VoteRegistryNotCandidate(candidate);
        (bool found, uint256 k, uint256 held) = ballot.find(index);
        uint256 value = PackedBallot.entry(index, registration);
        if (found) {
            if (held == registration) revert VoteRegistryAlreadyApproved(voter, candidate);
            // The approval held is of an ended registration: the new one takes its slot.
            ballot.replaceAt(k, value);
            emit VoteRevoked(voter, candidate, held);
        } else {
            uint256 count = ballot.count + 1;
            if (count > limit) revert VoteRegistryTooManyVotes(voter, count, limit);
            ballot.append(value);
        }
        emit VoteCast(voter, candidate, registration);
    }

    function _setMaxVotesPerVoter(uint256 maxVotesPerVoter_) private {
        if (maxVotesPerVoter_ == 0 || maxVotesPerVoter_ > MAX_VOTES_LIMIT) {
            revert VoteRegistryInvalidMaxVotes(maxVotesPerVoter_);
        }
        emit MaxVotesPerVoterChanged(_maxVotesPerVoter, maxVotesPerVoter_);
        _maxVotesPerVoter = maxVotesPerVoter_;
    }
}
