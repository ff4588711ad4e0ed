// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IAuditorRegistry} from "./interfaces/IAuditorRegistry.sol";
import {ICandidateRegistry} from "./interfaces/ICandidateRegistry.sol";

/// @title CandidateRegistry
/// @notice Registers candidates that hold credentials from M distinct auditors and their own key's consent,
/// escrows their deposits, slashes them for L2 equivocation, and credits what is left to their operators after
/// an unbonding period (pull payments). Each address gets a permanent listing index at its first registration;
/// the listing never shrinks, so paging through it is stable.
contract CandidateRegistry is ICandidateRegistry, Ownable2Step, EIP712 {
    using SafeCast for uint256;

    /// @notice The EIP-712 type of an auditor's credential for a registration.
    bytes32 public constant CREDENTIAL_TYPEHASH = keccak256(
        "Credential(address candidate,address operator,bytes32 qualificationHash,bool approve,uint64 issuedAt,"
        "uint64 expiresAt,uint256 nonce)"
    );
    /// @notice The EIP-712 type of an auditor's renewal of a standing registration.
    bytes32 public constant RENEWAL_TYPEHASH = keccak256(
        "Renewal(address candidate,address operator,bytes32 qualificationHash,bool approve,uint64 issuedAt,"
        "uint64 expiresAt,uint256 registration,uint256 renewal)"
    );
    /// @notice The EIP-712 type of the candidate key's consent to be registered by `operator`.
    bytes32 public constant CANDIDATE_CONSENT_TYPEHASH = keccak256(
        "CandidateConsent(address candidate,address operator,uint256 nonce)"
    );
    /// @notice The EIP-712 type of a new signing key's consent to sign for `candidate`.
    bytes32 public constant SIGNING_KEY_CONSENT_TYPEHASH = keccak256(
        "SigningKeyConsent(address candidate,address operator,address signingKey,uint256 nonce)"
    );
    /// @notice The EIP-712 type of an auditor's revocation.
    bytes32 public constant REVOCATION_TYPEHASH = keccak256(
        "Revocation(address candidate,bytes32 reason,uint256 nonce)"
    );
    /// @notice The L2's domain tags (node/chain/signing.ts): keccak256 of "repchain/prevote/v1" and
    /// "repchain/precommit/v1".
    bytes32 public constant PREVOTE_TAG = keccak256("repchain/prevote/v1");
    bytes32 public constant PRECOMMIT_TAG = keccak256("repchain/precommit/v1");
    /// @notice The L2 vote steps submitEquivocation accepts.
    uint8 public constant STEP_PREVOTE = 1;
    uint8 public constant STEP_PRECOMMIT = 2;
    /// @notice Basis points: slashFraction is out of 10,000.
    uint256 public constant BASIS_POINTS = 10_000;
    /// @notice The submitter's share of a slashed amount, in basis points (10%).
    uint256 public constant SUBMITTER_SHARE = 1_000;
    /// @notice The slash fraction a deployment normally uses (5%).
    uint256 public constant DEFAULT_SLASH_FRACTION = 500;
    /// @notice The longest unbonding period the owner may set, so deposits cannot be locked for ever.
    uint256 public constant MAX_UNBONDING_PERIOD = 365 days;
    /// @notice The most representatives (and candidates per seat) the owner may set.
    uint256 public constant MAX_REPRESENTATIVE_COUNT = 1000;

    /// @dev A first registration writes two new slots: record slot 0 and the listing entry (which holds the
    /// deposit). Slot 1 is written only by a rotation, a renewal, a removal or a slashing. VoteRegistry reads
    /// slot 0 alone. See docs/contracts.md.
    struct Record {
        // slot 0: who runs it, its life-cycle state, where it is listed, its registration, its credentials
        address operator;
        CandidateStatus status;
        uint24 index;
        uint24 registrationNonce;
        uint40 credentialExpiry;
        // slot 1: the signing key when rotated (zero = the candidate address), the unbonding end, renewals
        address signingKey;
        uint48 refundableAt;
        uint32 renewalNonce;
    }

    /// @dev The listing entry of an address: the address itself and the deposit of its current registration.
    struct ListingEntry {
        address candidate;
        uint96 deposit;
    }

    /// @dev The candidate a signing key belongs to for ever, and until when a retired key answers for
    /// equivocation (0 while current). An identity key never rotated has no entry.
    struct KeyBinding {
        address candidate;
        uint64 accountableUntil;
    }

    /// @dev The governed parameters and the listing length share one slot, read by every registration.
    struct Params {
        uint96 minDeposit;
        uint48 unbondingPeriod;
        uint32 candidateCount;
        uint16 minRepresentatives;
        uint16 maxRepresentatives;
        uint16 candidatesPerSeat;
        uint16 slashFraction;
    }

    IAuditorRegistry private immutable _auditorRegistry;
    uint64 private immutable _l2ChainId;
    address private immutable _treasury;
    Params private _params;
    mapping(address candidate => Record) private _records;
    mapping(uint256 index => ListingEntry) private _listing;
    mapping(address key => KeyBinding) private _keys;
    mapping(address account => uint256) private _withdrawable;

    constructor(
        address initialOwner,
        IAuditorRegistry auditorRegistry_,
        Settings memory settings
    ) Ownable(initialOwner) EIP712("CandidateRegistry", "1") {
        if (settings.l2ChainId == 0) revert CandidateRegistryInvalidL2ChainId();
        _auditorRegistry = auditorRegistry_;
        _l2ChainId = settings.l2ChainId;
        _treasury = settings.treasury;
        _setMinDeposit(settings.minDeposit);
        _setUnbondingPeriod(settings.unbondingPeriod);
        _setRepresentativeRule(settings.representativeRule);
        _setSlashFraction(settings.slashFraction);
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
        _requireSender(app.operator);
        uint32 renewal = record.renewalNonce;
        uint40 expiry = _verifyCredentials(app, record.registrationNonce, renewal, true, _auditorRegistry.threshold());
        record.credentialExpiry = expiry;
        record.renewalNonce = renewal + 1;
        emit CredentialsRenewed(app.candidate, app.qualificationHash, expiry, renewal);
    }

    /// @inheritdoc ICandidateRegistry
    function rotateSigningKey(address candidate, address newKey, bytes calldata consentSignature) external {
        Record storage record = _records[candidate];
        _requireOperatorOfActive(candidate, record);
        _requireFreeKey(newKey);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(SIGNING_KEY_CONSENT_TYPEHASH, candidate, msg.sender, newKey, record.registrationNonce))
        );
        address signer = ECDSA.recoverCalldata(digest, consentSignature);
        if (signer != newKey) revert CandidateRegistryInvalidConsent(signer, newKey);
        address oldKey = _signingKeyOf(candidate, record);
        uint64 accountableUntil = uint64(block.timestamp + _params.unbondingPeriod);
        // Both keys stay bound to the candidate for ever: neither can register nor sign for anyone else.
        _keys[oldKey] = KeyBinding(candidate, accountableUntil);
        _keys[newKey] = KeyBinding(candidate, 0);
        record.signingKey = newKey;
        emit SigningKeyRotated(candidate, oldKey, newKey, uint64(block.number), accountableUntil);
    }

    // ---------------------------------------------------------------- removal, slashing, refunds

    /// @inheritdoc ICandidateRegistry
    function withdraw(address candidate) external {
        Record storage record = _records[candidate];
        _requireOperatorOfActive(candidate, record);
        _remove(candidate, record, RemovalReason.Withdrawn, bytes32(0));
    }

    /// @inheritdoc ICandidateRegistry
    function revokeCandidate(address candidate, bytes32 reason) external onlyOwner {
        Record storage record = _records[candidate];
        _requireActive(candidate, record.status);
        _remove(candidate, record, RemovalReason.RevokedByOwner, reason);
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
        _remove(candidate, record, RemovalReason.RevokedByAuditors, reason);
    }

    /// @inheritdoc ICandidateRegistry
    function submitEquivocation(
        address candidate,
        uint8 step,
        uint64 height,
        uint32 round,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB
    ) external {
        address signer = _equivocator(step, height, round, blockHashA, signatureA, blockHashB, signatureB);
        Record storage record = _records[candidate];
        _requireSlashable(candidate, record);
        _requireKeyOf(candidate, record, signer);
        _slash(candidate, record, _evidenceHash(candidate, step, height, round, blockHashA, blockHashB));
    }

    /// @inheritdoc ICandidateRegistry
    function refund(address candidate) external {
        Record storage record = _records[candidate];
        CandidateStatus status = record.status;
        uint48 refundableAt = record.refundableAt;
        // A slashed record stays Slashed for ever; refundableAt = 0 marks its deposit as settled.
        bool removed = status == CandidateStatus.Withdrawn || status == CandidateStatus.Revoked;
        if (!removed && !(status == CandidateStatus.Slashed && refundableAt != 0)) {
            revert CandidateRegistryNotRefundable(candidate, status);
        }
        if (block.timestamp < refundableAt) revert CandidateRegistryRefundNotDue(candidate, refundableAt);
        address operator = record.operator;
        ListingEntry storage entry = _listing[record.index];
        uint256 amount = entry.deposit;
        if (removed) record.status = CandidateStatus.Refunded;
        record.refundableAt = 0;
        entry.deposit = 0;
        _withdrawable[operator] += amount;
        emit RefundCredited(candidate, operator, amount);
    }

    /// @inheritdoc ICandidateRegistry
    function withdrawRefund(address payable to) external {
        if (to == address(0)) revert CandidateRegistryZeroRecipient();
        uint256 amount = _withdrawable[msg.sender];
        if (amount == 0) revert CandidateRegistryNothingToWithdraw(msg.sender);
        _withdrawable[msg.sender] = 0;
        emit RefundWithdrawn(msg.sender, to, amount);
        // The only outgoing payment, after every effect: a reentering recipient finds a zero balance. A
        // recipient that rejects ETH reverts this call only; the balance stays for another `to`.
        Address.sendValue(to, amount);
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
    function setRepresentativeRule(RepresentativeRule calldata rule) external onlyOwner {
        _setRepresentativeRule(rule);
    }

    /// @inheritdoc ICandidateRegistry
    function setSlashFraction(uint256 slashFraction_) external onlyOwner {
        _setSlashFraction(slashFraction_);
    }

    /// @notice Disabled: a registry without an owner could never fix a parameter again.
    function renounceOwnership() public pure override {
        revert CandidateRegistryRenounceDisabled();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICandidateRegistry
    function auditorRegistry() external view returns (address) {
        return address(_auditorRegistry);
    }

    /// @inheritdoc ICandidateRegistry
    function l2ChainId() external view returns (uint64) {
        return _l2ChainId;
    }

    /// @inheritdoc ICandidateRegistry
    function treasury() external view returns (address) {
        return _treasury;
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
    function representativeRule() public view returns (RepresentativeRule memory) {
        Params storage p = _params;
        return RepresentativeRule(p.minRepresentatives, p.maxRepresentatives, p.candidatesPerSeat);
    }

    /// @inheritdoc ICandidateRegistry
    function representativeCount(uint256 eligible) external view returns (uint256) {
        RepresentativeRule memory rule = representativeRule();
        if (rule.candidatesPerSeat == 0) return rule.maxRepresentatives;
        uint256 seats = (eligible + rule.candidatesPerSeat - 1) / rule.candidatesPerSeat;
        if (seats < rule.minRepresentatives) return rule.minRepresentatives;
        return seats < rule.maxRepresentatives ? seats : rule.maxRepresentatives;
    }

    /// @inheritdoc ICandidateRegistry
    function slashFraction() external view returns (uint256) {
        return _params.slashFraction;
    }

    /// @inheritdoc ICandidateRegistry
    function getCandidate(address candidate) external view returns (Candidate memory) {
        Record storage record = _records[candidate];
        // An address never registered has index 0 like the first listed one: report it as all zero.
        if (record.status == CandidateStatus.None) return Candidate(address(0), address(0), 0, 0, record.status, 0, 0);
        return
            Candidate({
                operator: record.operator,
                signingKey: _signingKeyOf(candidate, record),
                deposit: _listing[record.index].deposit,
                credentialExpiry: record.credentialExpiry,
                status: record.status,
                refundableAt: record.refundableAt,
                registrationNonce: record.registrationNonce
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
    function renewalNonce(address candidate) external view returns (uint256) {
        return _records[candidate].renewalNonce;
    }

    /// @inheritdoc ICandidateRegistry
    function keyOwner(address key) external view returns (address candidate, uint64 accountableUntil) {
        KeyBinding storage binding = _keys[key];
        if (binding.candidate != address(0)) return (binding.candidate, binding.accountableUntil);
        // An identity key never rotated away has no binding: it is its own candidate's key.
        if (_records[key].status != CandidateStatus.None) return (key, 0);
        return (address(0), 0);
    }

    /// @inheritdoc ICandidateRegistry
    function withdrawable(address account) external view returns (uint256) {
        return _withdrawable[account];
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
    function candidateIndex(
        address candidate
    ) external view returns (bool active, bool listed, uint24 index, uint24 registration) {
        Record storage record = _records[candidate];
        CandidateStatus status = record.status;
        return (
            status == CandidateStatus.Active,
            status != CandidateStatus.None,
            record.index,
            record.registrationNonce
        );
    }

    // ---------------------------------------------------------------- internals: registration

    /// @dev Registers one application whose deposit `deposit` has been paid; `quorum` is the threshold M.
    function _register(Application calldata app, uint256 deposit, uint256 quorum) private {
        address candidate = app.candidate;
        if (candidate == address(0)) revert CandidateRegistryZeroCandidate();
        // The operator is signed by the auditors and the candidate: whoever copies the bundle cannot send it.
        _requireSender(app.operator);
        Record storage record = _records[candidate];
        CandidateStatus status = record.status;
        if (status == CandidateStatus.Active) revert CandidateRegistryAlreadyRegistered(candidate);
        if (status == CandidateStatus.Slashed) revert CandidateRegistrySlashedKey(candidate, candidate);
        if (status != CandidateStatus.None && status != CandidateStatus.Refunded) {
            revert CandidateRegistryDepositNotRefunded(candidate, uint64(record.refundableAt));
        }
        address keyHolder = _keys[candidate].candidate;
        if (keyHolder != address(0) && keyHolder != candidate) revert CandidateRegistryKeyTaken(candidate, keyHolder);
        uint24 nonce = record.registrationNonce;
        uint40 expiry = _verifyCredentials(app, nonce, 0, false, quorum);
        _verifyConsent(app, nonce);
        uint24 index = status == CandidateStatus.None ? _list(candidate) : record.index;
        _listing[index].deposit = deposit.toUint96();
        record.operator = msg.sender;
        record.status = CandidateStatus.Active;
        record.index = index;
        record.registrationNonce = _nextNonce(nonce);
        record.credentialExpiry = expiry;
        emit CandidateRegistered(candidate, msg.sender, deposit, app.qualificationHash, expiry, nonce + 1);
    }

    /// @dev Gives `candidate` the next permanent listing index.
    function _list(address candidate) private returns (uint24 index) {
        uint256 count = _params.candidateCount;
        index = count.toUint24();
        _params.candidateCount = uint32(count + 1);
        _listing[index].candidate = candidate;
    }

    /// @dev The nonce after a registration or a removal; a uint24 lasts 8.3 million registrations per address.
    function _nextNonce(uint24 nonce) private pure returns (uint24) {
        return (uint256(nonce) + 1).toUint24();
    }

    /// @dev The candidate key's consent to this operator and this registration.
    function _verifyConsent(Application calldata app, uint256 nonce) private view {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(CANDIDATE_CONSENT_TYPEHASH, app.candidate, app.operator, nonce))
        );
        address signer = ECDSA.recoverCalldata(digest, app.consentSignature);
        if (signer != app.candidate) revert CandidateRegistryInvalidConsent(signer, app.candidate);
    }

    /// @dev Checks every signature of `app` (approving, issued, unexpired, from a distinct current auditor, at
    /// least `quorum` of them) over a Credential (`renewal` false, `nonce` = registrationNonce) or a Renewal (`nonce` =
    /// registration, `renewalNonce`) and returns the earliest expiry. Any bad signature reverts the whole call.
    function _verifyCredentials(
        Application calldata app,
        uint256 nonce,
        uint256 renewalNonce_,
        bool renewal,
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
            bytes32 digest = renewal ? _renewalDigest(app, s, nonce, renewalNonce_) : _credentialDigest(app, s, nonce);
            signers[i] = _recoverAuditor(digest, s.signature, signers, i);
            if (s.expiresAt < earliest) earliest = s.expiresAt;
        }
        // Stored in 40 bits: an expiry past the year 36812 is kept as that year, which no block time reaches.
        expiry = earliest > type(uint40).max ? type(uint40).max : uint40(earliest);
    }

    /// @dev The EIP-712 digest of an approving credential (only approving ones get this far).
    function _credentialDigest(
        Application calldata app,
        AuditorSignature calldata s,
        uint256 nonce
    ) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        CREDENTIAL_TYPEHASH,
                        app.candidate,
                        app.operator,
                        app.qualificationHash,
                        true,
                        s.issuedAt,
                        s.expiresAt,
                        nonce
                    )
                )
            );
    }

    /// @dev The EIP-712 digest of an approving renewal.
    function _renewalDigest(
        Application calldata app,
        AuditorSignature calldata s,
        uint256 registration,
        uint256 renewal
    ) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        RENEWAL_TYPEHASH,
                        app.candidate,
                        app.operator,
                        app.qualificationHash,
                        true,
                        s.issuedAt,
                        s.expiresAt,
                        registration,
                        renewal
                    )
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

    // ---------------------------------------------------------------- internals: keys, removal, slashing

    /// @dev The candidate's signing key: the rotated one, or the candidate address itself.
    function _signingKeyOf(address candidate, Record storage record) private view returns (address key) {
        key = record.signingKey;
        if (key == address(0)) key = candidate;
    }

    /// @dev A new signing key must never have been a key or a candidate of anyone (itself included).
    function _requireFreeKey(address key) private view {
        if (key == address(0)) revert CandidateRegistryZeroCandidate();
        address holder = _keys[key].candidate;
        if (holder == address(0) && _records[key].status != CandidateStatus.None) holder = key;
        if (holder != address(0)) revert CandidateRegistryKeyTaken(key, holder);
    }

    /// @dev `signer` is the current signing key of `candidate` or one it retired less than an unbonding
    /// period ago.
    function _requireKeyOf(address candidate, Record storage record, address signer) private view {
        if (signer == _signingKeyOf(candidate, record)) return;
        KeyBinding storage binding = _keys[signer];
        if (binding.candidate != candidate || block.timestamp > binding.accountableUntil) {
            revert CandidateRegistryNotCandidateKey(candidate, signer);
        }
    }

    /// @dev Active candidates, and removed ones within their unbonding period, answer for equivocation.
    function _requireSlashable(address candidate, Record storage record) private view {
        CandidateStatus status = record.status;
        if (status == CandidateStatus.Active) return;
        uint48 refundableAt = record.refundableAt;
        bool unbonding = status == CandidateStatus.Withdrawn || status == CandidateStatus.Revoked;
        if (!unbonding || block.timestamp >= refundableAt) {
            revert CandidateRegistryNotSlashable(candidate, status, refundableAt);
        }
    }

    /// @dev The one key that signed both votes; reverts unless they are for different block hashes.
    function _equivocator(
        uint8 step,
        uint64 height,
        uint32 round,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB
    ) private view returns (address signer) {
        if (blockHashA == blockHashB) revert CandidateRegistrySameBlockHash(blockHashA);
        bytes32 tag = _stepTag(step);
        signer = ECDSA.recoverCalldata(_voteDigest(tag, height, round, blockHashA), signatureA);
        address signerB = ECDSA.recoverCalldata(_voteDigest(tag, height, round, blockHashB), signatureB);
        if (signer != signerB) revert CandidateRegistrySignersDiffer(signer, signerB);
    }

    /// @dev The same for either order of the two votes: keccak256(abi.encode(candidate, step, height, round,
    /// lower hash, higher hash)).
    function _evidenceHash(
        address candidate,
        uint8 step,
        uint64 height,
        uint32 round,
        bytes32 blockHashA,
        bytes32 blockHashB
    ) private pure returns (bytes32) {
        (bytes32 low, bytes32 high) = blockHashA < blockHashB ? (blockHashA, blockHashB) : (blockHashB, blockHashA);
        return keccak256(abi.encode(candidate, step, height, round, low, high));
    }

    /// @dev The L2 domain tag of `step`.
    function _stepTag(uint8 step) private pure returns (bytes32) {
        if (step == STEP_PREVOTE) return PREVOTE_TAG;
        if (step == STEP_PRECOMMIT) return PRECOMMIT_TAG;
        revert CandidateRegistryInvalidStep(step);
    }

    /// @dev What an L2 validator signs for a vote: keccak256(tag || uint64 chain id || uint64 height ||
    /// uint32 round || bytes32 block hash), as node/chain/voteDigest.ts builds it.
    function _voteDigest(bytes32 tag, uint64 height, uint32 round, bytes32 blockHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked(tag, _l2ChainId, height, round, blockHash));
    }

    /// @dev Takes slashFraction of the deposit: SUBMITTER_SHARE of it to the caller, the rest to the treasury.
    /// An active candidate is removed; a removed one keeps its refund time. Either way it is Slashed for ever.
    function _slash(address candidate, Record storage record, bytes32 evidenceHash) private {
        ListingEntry storage entry = _listing[record.index];
        uint256 amount = (uint256(entry.deposit) * _params.slashFraction) / BASIS_POINTS;
        uint256 reward = (amount * SUBMITTER_SHARE) / BASIS_POINTS;
        entry.deposit -= uint96(amount);
        _withdrawable[msg.sender] += reward;
        _withdrawable[_treasury] += amount - reward;
        bool active = record.status == CandidateStatus.Active;
        if (active) _remove(candidate, record, RemovalReason.Slashed, evidenceHash);
        else record.status = CandidateStatus.Slashed;
        emit CandidateSlashed(candidate, evidenceHash, amount, msg.sender);
        emit SlashShareCredited(candidate, msg.sender, reward);
        emit SlashShareCredited(candidate, _treasury, amount - reward);
    }

    /// @dev Ends the registration: the nonce moves (approvals of it die, unused signatures for it expire) and
    /// the deposit unbonds.
    function _remove(address candidate, Record storage record, RemovalReason reason, bytes32 why) private {
        uint48 refundableAt = (block.timestamp + _params.unbondingPeriod).toUint48();
        uint24 nonce = _nextNonce(record.registrationNonce);
        record.status = _removedStatus(reason);
        record.registrationNonce = nonce;
        record.refundableAt = refundableAt;
        emit CandidateRemoved(candidate, uint8(reason), msg.sender, why, refundableAt, nonce);
    }

    function _removedStatus(RemovalReason reason) private pure returns (CandidateStatus) {
        if (reason == RemovalReason.Withdrawn) return CandidateStatus.Withdrawn;
        if (reason == RemovalReason.Slashed) return CandidateStatus.Slashed;
        return CandidateStatus.Revoked;
    }

    function _requireSender(address operator) private view {
        if (msg.sender != operator) revert CandidateRegistryCallerNotOperator(msg.sender, operator);
    }

    function _requireActive(address candidate, CandidateStatus status) private pure {
        if (status != CandidateStatus.Active) revert CandidateRegistryNotActive(candidate, status);
    }

    function _requireOperatorOfActive(address candidate, Record storage record) private view {
        _requireActive(candidate, record.status);
        address operator = record.operator;
        if (operator != msg.sender) revert CandidateRegistryNotOperator(msg.sender, operator);
    }

    // ---------------------------------------------------------------- internals: parameters

    function _setMinDeposit(uint256 minDeposit_) private {
        if (minDeposit_ == 0 || minDeposit_ > type(uint96).max) revert CandidateRegistryInvalidMinDeposit(minDeposit_);
        emit MinDepositChanged(_params.minDeposit, minDeposit_);
        _params.minDeposit = uint96(minDeposit_);
    }

    function _setUnbondingPeriod(uint256 unbondingPeriod_) private {
        if (unbondingPeriod_ > MAX_UNBONDING_PERIOD) revert CandidateRegistryInvalidUnbondingPeriod(unbondingPeriod_);
        emit UnbondingPeriodChanged(_params.unbondingPeriod, unbondingPeriod_);
        _params.unbondingPeriod = uint48(unbondingPeriod_);
    }

    function _setRepresentativeRule(RepresentativeRule memory rule) private {
        uint256 low = rule.minRepresentatives;
        uint256 high = rule.maxRepresentatives;
        uint256 perSeat = rule.candidatesPerSeat;
        if (low == 0 || low > high || high > MAX_REPRESENTATIVE_COUNT || perSeat > MAX_REPRESENTATIVE_COUNT) {
            revert CandidateRegistryInvalidRepresentativeRule(low, high, perSeat);
        }
        Params storage p = _params;
        emit RepresentativeRuleChanged(
            p.minRepresentatives,
            p.maxRepresentatives,
            p.candidatesPerSeat,
            low,
            high,
            perSeat
        );
        p.minRepresentatives = uint16(low);
        p.maxRepresentatives = uint16(high);
        p.candidatesPerSeat = uint16(perSeat);
    }

    function _setSlashFraction(uint256 slashFraction_) private {
        if (slashFraction_ > BASIS_POINTS) revert CandidateRegistryInvalidSlashFraction(slashFraction_);
        emit SlashFractionChanged(_params.slashFraction, slashFraction_);
        _params.slashFraction = uint16(slashFraction_);
    }
}
