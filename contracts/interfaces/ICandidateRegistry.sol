// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ICandidateRegistry
/// @notice Candidates for representative: auditor credentials (EIP-712, M of N), escrowed deposits,
/// withdrawals, revocations and refunds, and the governed election parameters.
interface ICandidateRegistry {
    /// @notice Where a candidate address is in its life cycle.
    enum CandidateStatus {
        None, // never registered
        Active, // registered, counts in elections
        Withdrawn, // removed by its operator, deposit not yet refunded
        Revoked, // removed by authority, deposit not yet refunded
        Refunded // removed and deposit paid back; may register again
    }

    /// @notice Why a candidate was removed (the `reason` of CandidateRemoved).
    enum RemovalReason {
        Withdrawn,
        Revoked
    }

    /// @notice One auditor's signed verdict on an application. The signed EIP-712 struct is
    /// Credential(candidate, qualificationHash, approve, issuedAt, expiresAt, nonce), where candidate and
    /// qualificationHash come from the Application and nonce is the candidate's registrationNonce.
    struct AuditorSignature {
        bool approve;
        uint64 issuedAt;
        uint64 expiresAt;
        bytes signature;
    }

    /// @notice A candidate's application: its node address, the hash of its qualification record, and the
    /// auditors' signatures (any order).
    struct Application {
        address candidate;
        bytes32 qualificationHash;
        AuditorSignature[] signatures;
    }

    /// @notice A candidate's record as returned by getCandidate.
    struct Candidate {
        address operator;
        uint256 deposit;
        bytes32 qualificationHash;
        uint64 credentialExpiry;
        CandidateStatus status;
        uint64 refundableAt;
    }

    /// @notice address(0) cannot be a candidate.
    error CandidateRegistryZeroCandidate();
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
    /// @notice `candidate` was removed and its deposit, refundable at `refundableAt`, is not yet refunded.
    error CandidateRegistryDepositNotRefunded(address candidate, uint64 refundableAt);
    /// @notice `candidate` is not active (its status is `status`).
    error CandidateRegistryNotActive(address candidate, CandidateStatus status);
    /// @notice `caller` is not the operator `operator` of the candidate.
    error CandidateRegistryNotOperator(address caller, address operator);
    /// @notice A renewal carried `given` but the candidate was registered with `expected`.
    error CandidateRegistryQualificationMismatch(bytes32 expected, bytes32 given);
    /// @notice `candidate` has no deposit awaiting refund (its status is `status`).
    error CandidateRegistryNotRefundable(address candidate, CandidateStatus status);
    /// @notice The deposit of `candidate` is refundable only from `refundableAt`.
    error CandidateRegistryRefundNotDue(address candidate, uint64 refundableAt);
    /// @notice `minDeposit` is zero or above the storable maximum.
    error CandidateRegistryInvalidMinDeposit(uint256 minDeposit);
    /// @notice `unbondingPeriod` is above MAX_UNBONDING_PERIOD.
    error CandidateRegistryInvalidUnbondingPeriod(uint256 unbondingPeriod);
    /// @notice `representativeCount` is zero or above MAX_REPRESENTATIVE_COUNT.
    error CandidateRegistryInvalidRepresentativeCount(uint256 representativeCount);

    /// @notice `candidate` was registered by `operator`, who escrowed `deposit`.
    event CandidateRegistered(
        address indexed candidate,
        address indexed operator,
        uint256 deposit,
        bytes32 qualificationHash,
        uint64 credentialExpiry
    );
    /// @notice Fresh credentials moved the credential expiry of `candidate`.
    event CredentialsRenewed(address indexed candidate, uint64 credentialExpiry);
    /// @notice `candidate` was removed (`reason` is a RemovalReason); its deposit is refundable at `refundableAt`.
    event CandidateRemoved(address indexed candidate, uint8 reason, uint64 refundableAt);
    /// @notice The deposit `amount` of `candidate` was paid back to `operator`.
    event DepositRefunded(address indexed candidate, address indexed operator, uint256 amount);
    /// @notice The minimum deposit became `minDeposit` wei.
    event MinDepositChanged(uint256 minDeposit);
    /// @notice The unbonding period became `unbondingPeriod` seconds.
    event UnbondingPeriodChanged(uint256 unbondingPeriod);
    /// @notice The number of representatives to elect (K) became `representativeCount`.
    event RepresentativeCountChanged(uint256 representativeCount);

    /// @notice Registers `app.candidate` with M auditor credentials; the caller becomes its operator and
    /// msg.value (>= minDeposit) is escrowed.
    function registerCandidate(Application calldata app) external payable;

    /// @notice Registers every application at once; msg.value must equal apps.length x minDeposit.
    function registerCandidates(Application[] calldata apps) external payable;

    /// @notice Operator only: fresh credentials move an active candidate's credential expiry.
    function renewCredentials(Application calldata app) external;

    /// @notice Operator only: removes `candidate`; its deposit becomes refundable after the unbonding period.
    function withdraw(address candidate) external;

    /// @notice Owner only: removes `candidate`; its deposit becomes refundable after the unbonding period.
    function revokeCandidate(address candidate, bytes32 reason) external;

    /// @notice Removes `candidate` on M distinct auditors' signatures over
    /// Revocation(candidate, reason, nonce = registrationNonce(candidate)).
    function revokeCandidateBySig(address candidate, bytes32 reason, bytes[] calldata signatures) external;

    /// @notice Pays the deposit of a removed `candidate` back to its operator once the unbonding period is over.
    function refund(address candidate) external;

    /// @notice Sets the minimum deposit (owner only).
    function setMinDeposit(uint256 minDeposit) external;

    /// @notice Sets the unbonding period in seconds (owner only).
    function setUnbondingPeriod(uint256 unbondingPeriod) external;

    /// @notice Sets K, the number of representatives to elect (owner only).
    function setRepresentativeCount(uint256 representativeCount) external;

    /// @notice The auditor registry whose auditors sign credentials.
    function auditorRegistry() external view returns (address);

    /// @notice The minimum deposit in wei.
    function minDeposit() external view returns (uint256);

    /// @notice Seconds between a removal and its refund.
    function unbondingPeriod() external view returns (uint256);

    /// @notice K, the number of representatives to elect.
    function representativeCount() external view returns (uint256);

    /// @notice The record of `candidate` (all zero if never registered).
    function getCandidate(address candidate) external view returns (Candidate memory);

    /// @notice Whether `candidate` is registered and not removed (credential expiry is applied by the election).
    function isCandidate(address candidate) external view returns (bool);

    /// @notice The nonce the next credential of `candidate` must carry.
    function registrationNonce(address candidate) external view returns (uint256);

    /// @notice The number of distinct addresses ever registered (the length of the listing).
    function candidateCount() external view returns (uint256);

    /// @notice The address with permanent listing index `index`.
    function candidateAt(uint256 index) external view returns (address);

    /// @notice Up to `limit` listed addresses from index `offset` (fewer at the end of the listing).
    function candidates(uint256 offset, uint256 limit) external view returns (address[] memory);

    /// @notice For VoteRegistry: whether `candidate` is active, and its listing index. `listed` is false for an
    /// address never registered.
    function candidateIndex(address candidate) external view returns (bool active, bool listed, uint24 index);
}
