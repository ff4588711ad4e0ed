// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ICandidateRegistry
/// @notice Candidates for representative: operator-bound auditor credentials (EIP-712, M of N) with the
/// candidate key's consent, escrowed deposits, removals, pull refunds, signing-key rotation, slashing of L2
/// equivocation, and the governed election parameters (the K rule, the slash fraction).
///
/// A candidate's `registrationNonce` moves by one at every registration and at every removal (withdraw,
/// revocation, slashing), never at a renewal or a key rotation. So while a candidate is Active the nonce is
/// odd and names the registration: approvals carry it (`IVoteRegistry.VoteCast.registration`), and an
/// approval counts only while the candidate is Active with that same nonce.
interface ICandidateRegistry {
    /// @notice Where a candidate address is in its life cycle.
    enum CandidateStatus {
        None, // never registered
        Active, // registered, counts in elections
        Withdrawn, // removed by its operator, deposit not yet credited back
        Revoked, // removed by the owner or the auditors, deposit not yet credited back
        Refunded, // removed and the deposit credited to the operator; may register again
        Slashed // removed for equivocation; never registers again (the rest of the deposit is still refunded)
    }

    /// @notice Who removed a candidate (the `reason` of CandidateRemoved).
    enum RemovalReason {
        Withdrawn, // its operator, withdraw()
        RevokedByOwner, // the owner, revokeCandidate()
        RevokedByAuditors, // M auditors' Revocation signatures, revokeCandidateBySig()
        Slashed // anyone's equivocation evidence, submitEquivocation()
    }

    /// @notice One auditor's signed verdict on an application. The signed EIP-712 struct is
    /// Credential(address candidate,address operator,bytes32 qualificationHash,bool approve,uint64 issuedAt,
    /// uint64 expiresAt,uint256 nonce), where candidate, operator and qualificationHash come from the
    /// Application and nonce is registrationNonce(candidate). For renewCredentials the same fields are signed
    /// as Renewal(address candidate,address operator,bytes32 qualificationHash,bool approve,uint64 issuedAt,
    /// uint64 expiresAt,uint256 registration,uint256 renewal): registration = registrationNonce(candidate),
    /// renewal = renewalNonce(candidate).
    struct AuditorSignature {
        bool approve;
        uint64 issuedAt;
        uint64 expiresAt;
        bytes signature;
    }

    /// @notice A candidate's application: its node address (identity and first signing key), the operator that
    /// must send it, the hash of its qualification record, the auditors' signatures (any order) and the
    /// candidate key's EIP-712 consent CandidateConsent(address candidate,address operator,uint256 nonce) with
    /// nonce = registrationNonce(candidate). renewCredentials ignores consentSignature.
    struct Application {
        address candidate;
        address operator;
        bytes32 qualificationHash;
        AuditorSignature[] signatures;
        bytes consentSignature;
    }

    /// @notice A candidate's record as returned by getCandidate.
    struct Candidate {
        address operator;
        address signingKey;
        uint256 deposit;
        uint64 credentialExpiry;
        CandidateStatus status;
        uint64 refundableAt;
        uint256 registrationNonce;
    }

    /// @notice The K rule: K = min(maxRepresentatives, max(minRepresentatives, ceil(eligible /
    /// candidatesPerSeat))), and candidatesPerSeat = 0 means K = maxRepresentatives.
    struct RepresentativeRule {
        uint256 minRepresentatives;
        uint256 maxRepresentatives;
        uint256 candidatesPerSeat;
    }

    /// @notice Everything the constructor sets besides the owner and the auditor registry.
    struct Settings {
        uint256 minDeposit; // wei
        uint256 unbondingPeriod; // seconds
        RepresentativeRule representativeRule;
        uint256 slashFraction; // basis points of the deposit (500 = 5%)
        uint64 l2ChainId; // the L2 chain whose votes submitEquivocation accepts
        address treasury; // receives the slashed amount minus the submitter's share; address(0) = burned
    }

    /// @notice address(0) cannot be a candidate or a signing key.
    error CandidateRegistryZeroCandidate();
    /// @notice `caller` sent an application whose operator is `operator`; only the operator may send it.
    error CandidateRegistryCallerNotOperator(address caller, address operator);
    /// @notice The consent signature recovered to `signer`, not to the key `expected`.
    error CandidateRegistryInvalidConsent(address signer, address expected);
    /// @notice The application carries `count` signatures but `threshold` are required.
    error CandidateRegistryInsufficientSignatures(uint256 count, uint256 threshold);
    /// @notice Signature number `index` is not approving.
    error CandidateRegistryCredentialNotApproving(uint256 index);
    /// @notice Signature number `index` was issued at `issuedAt`, after the current block time.
    error CandidateRegistryCredentialNotYetValid(uint256 index, uint64 issuedAt);
    /// @notice Signature number `index` expired at `expiresAt`, at or before the current block time.
    error CandidateRegistryCredentialExpired(uint256 index, uint64 expiresAt);
    /// @notice A signature recovered to `signer`, who is not a current auditor.
    error CandidateRegistryNotAuditor(address signer);
    /// @notice `auditor` signed more than once.
    error CandidateRegistryDuplicateAuditor(address auditor);
    /// @notice `value` wei sent, but the deposit must be at least `minDeposit`.
    error CandidateRegistryInsufficientDeposit(uint256 value, uint256 minDeposit);
    /// @notice A batch must pay exactly `expected` wei (applications x minDeposit), `value` was sent.
    error CandidateRegistryBatchValueMismatch(uint256 value, uint256 expected);
    /// @notice A batch registration carried no application.
    error CandidateRegistryEmptyBatch();
    /// @notice `candidate` is already active.
    error CandidateRegistryAlreadyRegistered(address candidate);
    /// @notice `candidate` was removed and its deposit, refundable at `refundableAt`, is not yet credited back.
    error CandidateRegistryDepositNotRefunded(address candidate, uint64 refundableAt);
    /// @notice `candidate` was slashed (or its key `key` belongs to a slashed candidate): it never registers again.
    error CandidateRegistrySlashedKey(address candidate, address key);
    /// @notice `key` is (or was) the signing key of `owner`, so it cannot register or become another key.
    error CandidateRegistryKeyTaken(address key, address owner);
    /// @notice `candidate` is not active (its status is `status`).
    error CandidateRegistryNotActive(address candidate, CandidateStatus status);
    /// @notice `caller` is not the operator `operator` of the candidate.
    error CandidateRegistryNotOperator(address caller, address operator);
    /// @notice `candidate` has no deposit awaiting refund (its status is `status`).
    error CandidateRegistryNotRefundable(address candidate, CandidateStatus status);
    /// @notice The deposit of `candidate` is refundable only from `refundableAt`.
    error CandidateRegistryRefundNotDue(address candidate, uint64 refundableAt);
    /// @notice Refunds cannot be paid to address(0).
    error CandidateRegistryZeroRecipient();
    /// @notice `account` has no withdrawable balance.
    error CandidateRegistryNothingToWithdraw(address account);
    /// @notice `minDeposit` is zero or above the storable maximum.
    error CandidateRegistryInvalidMinDeposit(uint256 minDeposit);
    /// @notice `unbondingPeriod` is above MAX_UNBONDING_PERIOD.
    error CandidateRegistryInvalidUnbondingPeriod(uint256 unbondingPeriod);
    /// @notice The K rule needs 1 <= minRepresentatives <= maxRepresentatives <= MAX_REPRESENTATIVE_COUNT and
    /// candidatesPerSeat <= MAX_REPRESENTATIVE_COUNT.
    error CandidateRegistryInvalidRepresentativeRule(
        uint256 minRepresentatives,
        uint256 maxRepresentatives,
        uint256 candidatesPerSeat
    );
    /// @notice `slashFraction` (basis points) is above 10,000.
    error CandidateRegistryInvalidSlashFraction(uint256 slashFraction);
    /// @notice The L2 chain id must not be zero.
    error CandidateRegistryInvalidL2ChainId();
    /// @notice `step` is neither 1 (prevote) nor 2 (precommit).
    error CandidateRegistryInvalidStep(uint8 step);
    /// @notice Both votes are for `blockHash`: that is no equivocation.
    error CandidateRegistrySameBlockHash(bytes32 blockHash);
    /// @notice The two votes were signed by `signerA` and `signerB`, not by one key.
    error CandidateRegistrySignersDiffer(address signerA, address signerB);
    /// @notice `signer` is not the signing key of `candidate`, nor a key it held within the unbonding period.
    error CandidateRegistryNotCandidateKey(address candidate, address signer);
    /// @notice `candidate` cannot be slashed: it is `status` (already slashed, refunded, never registered) or
    /// its unbonding period ended at `refundableAt`.
    error CandidateRegistryNotSlashable(address candidate, CandidateStatus status, uint64 refundableAt);
    /// @notice renounceOwnership is disabled: the registry must always have an owner.
    error CandidateRegistryRenounceDisabled();

    /// @notice `candidate` was registered by `operator`, who escrowed `deposit`. `registration` is the
    /// candidate's registrationNonce while this registration stands (approvals name it). The signing key is
    /// the one standing (the candidate address itself unless rotated before).
    event CandidateRegistered(
        address indexed candidate,
        address indexed operator,
        uint256 deposit,
        bytes32 qualificationHash,
        uint64 credentialExpiry,
        uint256 registration
    );
    /// @notice Fresh Renewal signatures moved the credential expiry of `candidate` and may carry a new
    /// qualification hash; `renewal` is the renewalNonce they used.
    event CredentialsRenewed(
        address indexed candidate,
        bytes32 qualificationHash,
        uint64 credentialExpiry,
        uint256 renewal
    );
    /// @notice The signing key of `candidate` became `newKey` (was `oldKey`). Elections whose L1 snapshot
    /// block is >= `effectiveBlock` (the block of this event) use `newKey`; `oldKey` still answers for
    /// equivocation until `oldKeyAccountableUntil` (now + unbonding period, in seconds).
    event SigningKeyRotated(
        address indexed candidate,
        address indexed oldKey,
        address indexed newKey,
        uint64 effectiveBlock,
        uint64 oldKeyAccountableUntil
    );
    /// @notice `candidate` was removed by `remover` (`reason` is a RemovalReason); `revocationReason` is the
    /// owner's or auditors' reason, the evidence hash for a slashing, zero for a withdrawal. The deposit is
    /// refundable at `refundableAt`; registrationNonce became `registrationNonce`.
    event CandidateRemoved(
        address indexed candidate,
        uint8 reason,
        address indexed remover,
        bytes32 revocationReason,
        uint64 refundableAt,
        uint256 registrationNonce
    );
    /// @notice `candidate` was slashed `amount` wei on equivocation evidence `evidenceHash` sent by `submitter`.
    /// The submitter is credited SUBMITTER_SHARE of `amount`, the treasury the rest (SlashShareCredited).
    event CandidateSlashed(
        address indexed candidate,
        bytes32 indexed evidenceHash,
        uint256 amount,
        address indexed submitter
    );
    /// @notice `amount` of the slashing of `candidate` was credited to `account` (the submitter or the
    /// treasury; account address(0) means burned: no one can ever withdraw it).
    event SlashShareCredited(address indexed candidate, address indexed account, uint256 amount);
    /// @notice The remaining deposit `amount` of `candidate` was credited to `operator`'s withdrawable balance.
    event RefundCredited(address indexed candidate, address indexed operator, uint256 amount);
    /// @notice `account` withdrew its whole balance `amount` to `to`.
    event RefundWithdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice The minimum deposit went from `oldMinDeposit` to `newMinDeposit` wei.
    event MinDepositChanged(uint256 oldMinDeposit, uint256 newMinDeposit);
    /// @notice The unbonding period went from `oldPeriod` to `newPeriod` seconds.
    event UnbondingPeriodChanged(uint256 oldPeriod, uint256 newPeriod);
    /// @notice The K rule changed; elections at later snapshot blocks apply the new values.
    event RepresentativeRuleChanged(
        uint256 oldMinRepresentatives,
        uint256 oldMaxRepresentatives,
        uint256 oldCandidatesPerSeat,
        uint256 newMinRepresentatives,
        uint256 newMaxRepresentatives,
        uint256 newCandidatesPerSeat
    );
    /// @notice The slash fraction went from `oldFraction` to `newFraction` basis points.
    event SlashFractionChanged(uint256 oldFraction, uint256 newFraction);

    /// @notice Registers `app.candidate` with M auditor credentials and the candidate key's consent; the caller
    /// must be `app.operator`, and msg.value (>= minDeposit) is escrowed.
    function registerCandidate(Application calldata app) external payable;

    /// @notice Registers every application at once; msg.value must equal apps.length x minDeposit.
    function registerCandidates(Application[] calldata apps) external payable;

    /// @notice Operator only: M fresh Renewal signatures move an active candidate's credential expiry and
    /// qualification hash. Moves renewalNonce, never registrationNonce.
    function renewCredentials(Application calldata app) external;

    /// @notice Operator only: makes `newKey` the signing key of active `candidate`, with `newKey`'s EIP-712
    /// consent SigningKeyConsent(address candidate,address operator,address signingKey,uint256 nonce),
    /// nonce = registrationNonce(candidate). A key is bound to one candidate for ever.
    function rotateSigningKey(address candidate, address newKey, bytes calldata consentSignature) external;

    /// @notice Operator only: removes `candidate`; its deposit becomes refundable after the unbonding period.
    function withdraw(address candidate) external;

    /// @notice Owner only: removes `candidate` for `reason`; its deposit becomes refundable after unbonding.
    function revokeCandidate(address candidate, bytes32 reason) external;

    /// @notice Removes `candidate` on M distinct auditors' signatures over
    /// Revocation(address candidate,bytes32 reason,uint256 nonce), nonce = registrationNonce(candidate).
    function revokeCandidateBySig(address candidate, bytes32 reason, bytes[] calldata signatures) external;

    /// @notice Slashes `candidate` on two signatures by its signing key (current, or held within the unbonding
    /// period) over the L2's prevote (step 1) or precommit (step 2) digest for the same height and round and
    /// different block hashes: keccak256(keccak256("repchain/prevote/v1" | "repchain/precommit/v1") ||
    /// uint64 l2ChainId || uint64 height || uint32 round || bytes32 blockHash), ecrecover on that raw digest,
    /// low s only. Accepted while Active or within the unbonding period of a removal. The evidence hash is
    /// keccak256(abi.encode(candidate, step, height, round, lower hash, higher hash)).
    function submitEquivocation(
        address candidate,
        uint8 step,
        uint64 height,
        uint32 round,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB
    ) external;

    /// @notice Anyone, once the unbonding period is over: credits the remaining deposit of a removed
    /// `candidate` to its operator's withdrawable balance; the candidate's record is then settled.
    function refund(address candidate) external;

    /// @notice Pays the caller's whole withdrawable balance to `to`.
    function withdrawRefund(address payable to) external;

    /// @notice Sets the minimum deposit (owner only).
    function setMinDeposit(uint256 minDeposit) external;

    /// @notice Sets the unbonding period in seconds (owner only).
    function setUnbondingPeriod(uint256 unbondingPeriod) external;

    /// @notice Sets the K rule (owner only).
    function setRepresentativeRule(RepresentativeRule calldata rule) external;

    /// @notice Sets the slash fraction in basis points (owner only).
    function setSlashFraction(uint256 slashFraction) external;

    /// @notice The auditor registry whose auditors sign credentials.
    function auditorRegistry() external view returns (address);

    /// @notice The L2 chain id bound at deployment.
    function l2ChainId() external view returns (uint64);

    /// @notice Where slashed amounts go (minus the submitter's share); address(0) = burned.
    function treasury() external view returns (address);

    /// @notice The minimum deposit in wei.
    function minDeposit() external view returns (uint256);

    /// @notice Seconds between a removal and its refund.
    function unbondingPeriod() external view returns (uint256);

    /// @notice The K rule standing now.
    function representativeRule() external view returns (RepresentativeRule memory);

    /// @notice K for `eligible` eligible candidates under the rule standing now.
    function representativeCount(uint256 eligible) external view returns (uint256);

    /// @notice Basis points of the deposit a slashing takes.
    function slashFraction() external view returns (uint256);

    /// @notice The record of `candidate` (all zero if never registered).
    function getCandidate(address candidate) external view returns (Candidate memory);

    /// @notice Whether `candidate` is registered and not removed (credential expiry is applied by the election).
    function isCandidate(address candidate) external view returns (bool);

    /// @notice The nonce the next credential and consent of `candidate` must carry.
    function registrationNonce(address candidate) external view returns (uint256);

    /// @notice The `renewal` the next Renewal signatures of `candidate` must carry.
    function renewalNonce(address candidate) external view returns (uint256);

    /// @notice The candidate that `key` is (or was) the signing key of, and until when (seconds) a retired key
    /// answers for equivocation (0 while it is current or unbound).
    function keyOwner(address key) external view returns (address candidate, uint64 accountableUntil);

    /// @notice The withdrawable balance of `account` (credited refunds and slash shares).
    function withdrawable(address account) external view returns (uint256);

    /// @notice The number of distinct addresses ever registered (the length of the listing).
    function candidateCount() external view returns (uint256);

    /// @notice The address with permanent listing index `index`.
    function candidateAt(uint256 index) external view returns (address);

    /// @notice Up to `limit` listed addresses from index `offset` (fewer at the end of the listing).
    function candidates(uint256 offset, uint256 limit) external view returns (address[] memory);

    /// @notice For VoteRegistry: whether `candidate` is active, whether it is listed, its listing index and its
    /// registrationNonce (the registration an approval cast now is bound to).
    function candidateIndex(
        address candidate
    ) external view returns (bool active, bool listed, uint24 index, uint24 registration);
}
