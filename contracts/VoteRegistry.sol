// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ICandidateRegistry} from "./interfaces/ICandidateRegistry.sol";
import {IVoteRegistry} from "./interfaces/IVoteRegistry.sol";
import {PackedBallot} from "./libraries/PackedBallot.sol";

/// @title VoteRegistry
/// @notice Approval voting, one voter one vote per candidate, changed incrementally by adds and revokes.
/// Approvals of a candidate that is later removed stay in the voter's set (they count for nothing while it is
/// removed, count again if the same address registers again, and still use up the voter's limit) until the
/// voter revokes them.
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
    uint256 private _maxVotesPerVoter;
    mapping(address voter => mapping(uint256 word => uint256)) private _ballots;

    constructor(
        address initialOwner,
        ICandidateRegistry candidateRegistry_
    ) Ownable(initialOwner) EIP712("VoteRegistry", "1") {
        _candidateRegistry = candidateRegistry_;
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
    function setMaxVotesPerVoter(uint256 maxVotesPerVoter_) external onlyOwner {
        _setMaxVotesPerVoter(maxVotesPerVoter_);
    }

    /// @inheritdoc IVoteRegistry
    function candidateRegistry() external view returns (address) {
        return address(_candidateRegistry);
    }

    /// @inheritdoc IVoteRegistry
    function votesOf(address voter) external view returns (address[] memory approved) {
        PackedBallot.Ballot memory ballot = PackedBallot.load(_ballots[voter], 0);
        approved = new address[](ballot.count);
        for (uint256 k = 0; k < ballot.count; ++k) {
            approved[k] = _candidateRegistry.candidateAt(ballot.get(k));
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
        mapping(uint256 => uint256) storage slots = _ballots[voter];
        (uint256 count, ) = PackedBallot.header(slots);
        uint256 limit = _maxVotesPerVoter;
        // Checked before loading so memory stays bounded by the limit, not by the caller's arrays.
        if (count + add.length > limit + revoke.length) {
            revert VoteRegistryTooManyVotes(voter, count + add.length - revoke.length, limit);
        }
        PackedBallot.Ballot memory ballot = PackedBallot.load(slots, add.length);
        for (uint256 i = 0; i < revoke.length; ++i) {
            _revokeOne(ballot, voter, revoke[i]);
        }
        for (uint256 i = 0; i < add.length; ++i) {
            _addOne(ballot, voter, add[i]);
        }
        if (bumpNonce) ballot.nonce += 1;
        PackedBallot.store(slots, ballot);
    }

    function _revokeOne(PackedBallot.Ballot memory ballot, address voter, address candidate) private {
        // A removed candidate keeps its listing index, so its approval can still be found and revoked.
        (, bool listed, uint24 index) = _candidateRegistry.candidateIndex(candidate);
        (bool found, uint256 k) = listed ? ballot.find(index) : (false, 0);
        if (!found) revert VoteRegistryNotApproved(voter, candidate);
        ballot.removeAt(k);
        emit VoteRevoked(voter, candidate);
    }

    function _addOne(PackedBallot.Ballot memory ballot, address voter, address candidate) private {
        (bool active, , uint24 index) = _candidateRegistry.candidateIndex(candidate);
        if (!active) revert VoteRegistryNotCandidate(candidate);
        (bool found, ) = ballot.find(index);
        if (found) revert VoteRegistryAlreadyApproved(voter, candidate);
        ballot.append(index);
        emit VoteCast(voter, candidate);
    }

    function _setMaxVotesPerVoter(uint256 maxVotesPerVoter_) private {
        if (maxVotesPerVoter_ == 0 || maxVotesPerVoter_ > MAX_VOTES_LIMIT) {
            revert VoteRegistryInvalidMaxVotes(maxVotesPerVoter_);
        }
        _maxVotesPerVoter = maxVotesPerVoter_;
        emit MaxVotesPerVoterChanged(maxVotesPerVoter_);
    }
}
