// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IAuditorRegistry} from "./interfaces/IAuditorRegistry.sol";
import {ICandidateRegistry} from "./interfaces/ICandidateRegistry.sol";

/// @title CandidateRegistry
/// @notice Registers candidates that hold credentials from M distinct auditors, escrows their deposits and
/// pays them back after an unbonding period. Each address gets a permanent listing index at its first
/// registration; the listing never shrinks, so paging through it is stable.
contract CandidateRegistry is ICandidateRegistry, Ownable2Step, EIP712, ReentrancyGuard {
    using SafeCast for uint256;

    /// @notice The EIP-712 type of an auditor's credential.
    bytes32 public constant CREDENTIAL_TYPEHASH = keccak256(
        "Credential(address candidate,bytes32 qualificationHash,bool approve,uint64 issuedAt,uint64 expiresAt,"
        "uint256 nonce)"
    );
    /// @notice The EIP-712 type of an auditor's revocation.
    bytes32 public constant REVOCATION_TYPEHASH = keccak256(
        "Revocation(address candidate,bytes32 reason,uint256 nonce)"
    );
    /// @notice The longest unbonding period the owner may set, so deposits cannot be locked for ever.
    uint256 public constant MAX_UNBONDING_PERIOD = 365 days;
    /// @notice The most representatives the owner may ask the election for.
    uint256 public constant MAX_REPRESENTATIVE_COUNT = 1000;

    /// @dev A first registration writes three new slots: record slots 0 and 1 and the listing entry, which
    /// also holds the deposit. Slot 2 is written only at a removal (and cleared at the refund), so the
    /// registration does not pay for it. VoteRegistry reads slot 0 alone. See docs/contracts.md.
    struct Record {
        // slot 0: who runs it, its life-cycle state, where it is listed, its credentials
        address operator;
        CandidateStatus status;
        uint24 index;
        uint24 registrationNonce;
        uint40 credentialExpiry;
        // slot 1
        bytes32 qualificationHash;
        // slot 2: only while removed and not yet refunded
        uint48 refundableAt;
    }

    /// @dev The listing entry of an address: the address itself and the deposit of its current registration.
    struct ListingEntry {
        address candidate;
        uint96 deposit;
    }

    /// @dev The governed parameters and the listing length share one slot, read by every registration.
    struct Params {
        uint96 minDeposit;
        uint48 unbondingPeriod;
        uint32 representativeCount;
        uint32 candidateCount;
    }

    IAuditorRegistry private immutable _auditorRegistry;
    Params private _params;
    mapping(address candidate => Record) private _records;
    mapping(uint256 index => ListingEntry) private _listing;

    constructor(
        address initialOwner,
        IAuditorRegistry auditorRegistry_,
        uint256 minDeposit_,
        uint256 unbondingPeriod_,
        uint256 representativeCount_
    ) Ownable(initialOwner) EIP712("CandidateRegistry", "1") {
        _auditorRegistry = auditorRegistry_;
        _setMinDeposit(minDeposit_);
        _setUnbondingPeriod(unbondingPeriod_);
        _setRepresentativeCount(representativeCount_);
    }

    // ---------------------------------------------------------------- registration

    /// @inheritdoc ICandidateRegistry
    function registerCandidate(Application calldata app) external payable {
        uint256 minimum = _params.minDeposit;
        if (msg.value < minimum) revert CandidateRegistryInsufficientDeposit(msg.value, minimum);
        _register(app, msg.value, _auditorRegistry.threshold());
    }

    /// @inheritdoc ICandidateRegistry
    function registerCandidates(Application[] calldata apps) external payable {
        if (apps.length == 0) revert CandidateRegistryEmptyBatch();
        uint256 minimum = _params.minDeposit;
        uint256 expected = apps.length * minimum;
        if (msg.value != expected) revert CandidateRegistryBatchValueMismatch(msg.value, expected);
        uint256 quorum = _auditorRegistry.threshold();
        for (uint256 i = 0; i < apps.length; ++i) {
            _register(apps[i], minimum, quorum);
        }
    }

    /// @inheritdoc ICandidateRegistry
    function renewCredentials(Application calldata app) external {
        Record storage record = _records[app.candidate];
        _requireOperatorOfActive(app.candidate, record);
        bytes32 registered = record.qualificationHash;
        if (registered != app.qualificationHash) {
            revert CandidateRegistryQualificationMismatch(registered, app.qualificationHash);
        }
        uint24 nonce = record.registrationNonce;
        uint40 expiry = _verifyCredentials(app, nonce, _auditorRegistry.threshold());
        record.credentialExpiry = expiry;
        record.registrationNonce = _nextNonce(nonce);
        emit CredentialsRenewed(app.candidate, expiry);
    }

    // ---------------------------------------------------------------- removal and refund

    /// @inheritdoc ICandidateRegistry
    function withdraw(address candidate) external {
        Record storage record = _records[candidate];
        _requireOperatorOfActive(candidate, record);
        _remove(candidate, record, RemovalReason.Withdrawn);
    }

    /// @inheritdoc ICandidateRegistry
    /// @dev `reason` is kept in the transaction's calldata only; events carry the RemovalReason.
    function revokeCandidate(address candidate, bytes32 /* reason */) external onlyOwner {
        Record storage record = _records[candidate];
        _requireActive(candidate, record.status);
        _remove(candidate, record, RemovalReason.Revoked);
    }

    /// @inheritdoc ICandidateRegistry
    function revokeCandidateBySig(address candidate, bytes32 reason, bytes[] calldata signatures) external {
        Record storage record = _records[candidate];
        _requireActive(candidate, record.status);
        uint256 quorum = _auditorRegistry.threshold();
        if (signatures.length < quorum) revert CandidateRegistryInsufficientSignatures(signatures.length, quorum);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(REVOCATION_TYPEHASH, candidate, reason, record.registrationNonce))
        );
        address[] memory signers = new address[](signatures.length);
        for (uint256 i = 0; i < signatures.length; ++i) {
            signers[i] = _recoverAuditor(digest, signatures[i], signers, i);
        }
        _remove(candidate, record, RemovalReason.Revoked);
    }

    /// @inheritdoc ICandidateRegistry
    function refund(address candidate) external nonReentrant {
        Record storage record = _records[candidate];
        CandidateStatus status = record.status;
        if (status != CandidateStatus.Withdrawn && status != CandidateStatus.Revoked) {
            revert CandidateRegistryNotRefundable(candidate, status);
        }
        uint48 refundableAt = record.refundableAt;
        if (block.timestamp < refundableAt) revert CandidateRegistryRefundNotDue(candidate, refundableAt);
        address operator = record.operator;
        ListingEntry storage entry = _listing[record.index];
        uint256 amount = entry.deposit;
        record.status = CandidateStatus.Refunded;
        record.refundableAt = 0;
        entry.deposit = 0;
        emit DepositRefunded(candidate, operator, amount);
        // Pull payment to the operator only, after every effect: a reentering operator finds Refunded.
        Address.sendValue(payable(operator), amount);
    }

    // ---------------------------------------------------------------- governed parameters

    /// @inheritdoc ICandidateRegistry
    function setMinDeposit(uint256 minDeposit_) external onlyOwner {
        _setMinDeposit(minDeposit_);
    }

    /// @inheritdoc ICandidateRegistry
    function setUnbondingPeriod(uint256 unbondingPeriod_) external onlyOwner {
        _setUnbondingPeriod(unbondingPeriod_);
    }

    /// @inheritdoc ICandidateRegistry
    function setRepresentativeCount(uint256 representativeCount_) external onlyOwner {
        _setRepresentativeCount(representativeCount_);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICandidateRegistry
    function auditorRegistry() external view returns (address) {
        return address(_auditorRegistry);
    }

    /// @inheritdoc ICandidateRegistry
    function minDeposit() external view returns (uint256) {
        return _params.minDeposit;
    }

    /// @inheritdoc ICandidateRegistry
    function unbondingPeriod() external view returns (uint256) {
        return _params.unbondingPeriod;
    }

    /// @inheritdoc ICandidateRegistry
    function representativeCount() external view returns (uint256) {
        return _params.representativeCount;
    }

    /// @inheritdoc ICandidateRegistry
    function getCandidate(address candidate) external view returns (Candidate memory) {
        Record storage record = _records[candidate];
        // An address never registered has index 0 like the first listed one: report its deposit as 0.
        uint256 deposit = record.status == CandidateStatus.None ? 0 : _listing[record.index].deposit;
        return
            Candidate({
                operator: record.operator,
                deposit: deposit,
                qualificationHash: record.qualificationHash,
                credentialExpiry: record.credentialExpiry,
                status: record.status,
                refundableAt: record.refundableAt
            });
    }

    /// @inheritdoc ICandidateRegistry
    function isCandidate(address candidate) external view returns (bool) {
        return _records[candidate].status == CandidateStatus.Active;
    }

    /// @inheritdoc ICandidateRegistry
    function registrationNonce(address candidate) external view returns (uint256) {
        return _records[candidate].registrationNonce;
    }

    /// @inheritdoc ICandidateRegistry
    function candidateCount() external view returns (uint256) {
        return _params.candidateCount;
    }

    /// @inheritdoc ICandidateRegistry
    function candidateAt(uint256 index) external view returns (address) {
        return _listing[index].candidate;
    }

    /// @inheritdoc ICandidateRegistry
    function candidates(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 count = _params.candidateCount;
        uint256 available = offset < count ? count - offset : 0;
        uint256 size = limit < available ? limit : available;
        page = new address[](size);
        for (uint256 i = 0; i < size; ++i) {
            page[i] = _listing[offset + i].candidate;
        }
    }

    /// @inheritdoc ICandidateRegistry
    function candidateIndex(address candidate) external view returns (bool active, bool listed, uint24 index) {
        Record storage record = _records[candidate];
        CandidateStatus status = record.status;
        return (status == CandidateStatus.Active, status != CandidateStatus.None, record.index);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Registers one application whose deposit `deposit` has been paid; `quorum` is the threshold M.
    function _register(Application calldata app, uint256 deposit, uint256 quorum) private {
        address candidate = app.candidate;
        if (candidate == address(0)) revert CandidateRegistryZeroCandidate();
        Record storage record = _records[candidate];
        CandidateStatus status = record.status;
        if (status == CandidateStatus.Active) revert CandidateRegistryAlreadyRegistered(candidate);
        if (status != CandidateStatus.None && status != CandidateStatus.Refunded) {
            revert CandidateRegistryDepositNotRefunded(candidate, record.refundableAt);
        }
        uint24 nonce = record.registrationNonce;
        uint40 expiry = _verifyCredentials(app, nonce, quorum);
        uint24 index = status == CandidateStatus.None ? _list(candidate) : record.index;
        _listing[index].deposit = deposit.toUint96();
        record.operator = msg.sender;
        record.status = CandidateStatus.Active;
        record.index = index;
        record.registrationNonce = _nextNonce(nonce);
        record.credentialExpiry = expiry;
        record.qualificationHash = app.qualificationHash;
        emit CandidateRegistered(candidate, msg.sender, deposit, app.qualificationHash, expiry);
    }

    /// @dev Gives `candidate` the next permanent listing index.
    function _list(address candidate) private returns (uint24 index) {
        uint256 count = _params.candidateCount;
        index = count.toUint24();
        _params.candidateCount = uint32(count + 1);
        _listing[index].candidate = candidate;
    }

    /// @dev The nonce after one more use of credentials; a uint24 lasts 16.7 million uses per address.
    function _nextNonce(uint24 nonce) private pure returns (uint24) {
        return (uint256(nonce) + 1).toUint24();
    }

    /// @dev Checks every signature of `app` (approving, issued, unexpired, from a distinct current auditor, at
    /// least `quorum` of them) and returns the earliest expiry. Any bad signature reverts the whole call.
    function _verifyCredentials(
        Application calldata app,
        uint24 nonce,
        uint256 quorum
    ) private view returns (uint40 expiry) {
        AuditorSignature[] calldata signatures = app.signatures;
        if (signatures.length < quorum) revert CandidateRegistryInsufficientSignatures(signatures.length, quorum);
        address[] memory signers = new address[](signatures.length);
        uint64 earliest = type(uint64).max;
        for (uint256 i = 0; i < signatures.length; ++i) {
            AuditorSignature calldata s = signatures[i];
            // Cheap checks first: they need no signature recovery.
            if (!s.approve) revert CandidateRegistryCredentialNotApproving(i);
            if (s.issuedAt > block.timestamp) revert CandidateRegistryCredentialNotYetValid(i, s.issuedAt);
            if (s.expiresAt <= block.timestamp) revert CandidateRegistryCredentialExpired(i, s.expiresAt);
            bytes32 digest = _credentialDigest(app.candidate, app.qualificationHash, s, nonce);
            signers[i] = _recoverAuditor(digest, s.signature, signers, i);
            if (s.expiresAt < earliest) earliest = s.expiresAt;
        }
        // Stored in 40 bits: an expiry past the year 36812 is kept as that year, which no block time reaches.
        expiry = earliest > type(uint40).max ? type(uint40).max : uint40(earliest);
    }

    /// @dev The EIP-712 digest of an approving credential (only approving ones get this far).
    function _credentialDigest(
        address candidate,
        bytes32 qualificationHash,
        AuditorSignature calldata s,
        uint256 nonce
    ) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(CREDENTIAL_TYPEHASH, candidate, qualificationHash, true, s.issuedAt, s.expiresAt, nonce)
                )
            );
    }

    /// @dev Recovers the signer of `digest` and checks it is a current auditor not among `signers[0..count)`.
    /// Malformed and high-s signatures revert inside ECDSA with its own errors.
    function _recoverAuditor(
        bytes32 digest,
        bytes calldata signature,
        address[] memory signers,
        uint256 count
    ) private view returns (address signer) {
        signer = ECDSA.recoverCalldata(digest, signature);
        if (!_auditorRegistry.isAuditor(signer)) revert CandidateRegistryNotAuditor(signer);
        for (uint256 j = 0; j < count; ++j) {
            if (signers[j] == signer) revert CandidateRegistryDuplicateAuditor(signer);
        }
    }

    function _remove(address candidate, Record storage record, RemovalReason reason) private {
        uint48 refundableAt = (block.timestamp + _params.unbondingPeriod).toUint48();
        record.status = reason == RemovalReason.Withdrawn ? CandidateStatus.Withdrawn : CandidateStatus.Revoked;
        record.refundableAt = refundableAt;
        emit CandidateRemoved(candidate, uint8(reason), refundableAt);
    }

    function _requireActive(address candidate, CandidateStatus status) private pure {
        if (status != CandidateStatus.Active) revert CandidateRegistryNotActive(candidate, status);
    }

    function _requireOperatorOfActive(address candidate, Record storage record) private view {
        _requireActive(candidate, record.status);
        address operator = record.operator;
        if (operator != msg.sender) revert CandidateRegistryNotOperator(msg.sender, operator);
    }

    function _setMinDeposit(uint256 minDeposit_) private {
        if (minDeposit_ == 0 || minDeposit_ > type(uint96).max) revert CandidateRegistryInvalidMinDeposit(minDeposit_);
        _params.minDeposit = uint96(minDeposit_);
        emit MinDepositChanged(minDeposit_);
    }

    function _setUnbondingPeriod(uint256 unbondingPeriod_) private {
        if (unbondingPeriod_ > MAX_UNBONDING_PERIOD) revert CandidateRegistryInvalidUnbondingPeriod(unbondingPeriod_);
        _params.unbondingPeriod = uint48(unbondingPeriod_);
        emit UnbondingPeriodChanged(unbondingPeriod_);
    }

    function _setRepresentativeCount(uint256 representativeCount_) private {
        if (representativeCount_ == 0 || representativeCount_ > MAX_REPRESENTATIVE_COUNT) {
            revert CandidateRegistryInvalidRepresentativeCount(representativeCount_);
        }
        _params.representativeCount = uint32(representativeCount_);
        emit RepresentativeCountChanged(representativeCount_);
    }
}
