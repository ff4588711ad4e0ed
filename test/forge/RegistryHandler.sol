// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AuditorRegistry} from "../../contracts/AuditorRegistry.sol";
import {CandidateRegistry} from "../../contracts/CandidateRegistry.sol";
import {VoteRegistry} from "../../contracts/VoteRegistry.sol";
import {VotingToken} from "../../contracts/token/VotingToken.sol";
import {ICandidateRegistry} from "../../contracts/interfaces/ICandidateRegistry.sol";
import {WithVm} from "./Vm.sol";

/// @notice Drives the registries with random sequences of every user and owner action, and keeps ghost state
/// (what a follower of the events would know) for the invariants. It owns the registries and the token.
contract RegistryHandler is WithVm {
    uint256 public constant CANDIDATES = 5;
    /// @notice Only candidates below these numbers are ever slashed or removed, so the others keep taking votes.
    uint256 public constant SLASHABLE = 2;
    uint256 public constant REMOVABLE = 3;
    uint256 public constant VOTERS = 4;
    uint256 public constant AUDITORS = 3;
    uint256 public constant THRESHOLD = 2;
    uint256 public constant MIN_DEPOSIT = 1 ether;
    uint64 public constant L2_CHAIN_ID = 4242;
    address public constant TREASURY = address(0x7EA5);
    address public constant SUBMITTER = address(0x5B);
    address public constant OPERATOR = address(0x0BE7);

    AuditorRegistry public immutable auditors;
    CandidateRegistry public immutable registry;
    VoteRegistry public immutable votes;
    VotingToken public immutable token;

    /// @dev Ghost state: the registration each candidate stands in (0 = none), each voter's approvals by the
    /// registration they name, the cap when a voter last grew its ballot, slashed candidates and their keys.
    mapping(uint256 candidate => uint256) public standing;
    mapping(uint256 voter => mapping(uint256 candidate => uint256)) public approved;
    mapping(uint256 voter => uint256) public capAtLastGrowth;
    mapping(uint256 candidate => bool) public slashed;
    mapping(uint256 candidate => uint256) public keyOf;
    mapping(bytes4 action => uint256) public calls;
    uint256 private _nextKey = 0xA000;

    constructor() {
        address[] memory initial = new address[](AUDITORS);
        for (uint256 i = 0; i < AUDITORS; ++i) initial[i] = VM.addr(auditorKey(i));
        auditors = new AuditorRegistry(address(this), initial, THRESHOLD);
        registry = new CandidateRegistry(
            address(this),
            auditors,
            ICandidateRegistry.Settings({
                minDeposit: MIN_DEPOSIT,
                unbondingPeriod: 1 days,
                representativeRule: ICandidateRegistry.RepresentativeRule(2, 5, 2),
                slashFraction: 500,
                l2ChainId: L2_CHAIN_ID,
                treasury: TREASURY
            })
        );
        token = new VotingToken("Vote", "V", address(this));
        votes = new VoteRegistry(address(this), registry, token);
        for (uint256 v = 0; v < VOTERS; ++v) {
            token.mint(voter(v), 100 ether);
            VM.prank(voter(v));
            token.delegate(voter(v));
        }
        for (uint256 c = 0; c < CANDIDATES; ++c) keyOf[c] = candidateKey(c);
        VM.deal(OPERATOR, 1_000_000 ether);
    }

    // ---------------------------------------------------------------- actors

    function auditorKey(uint256 i) public pure returns (uint256) {
        return 0xA11 + i;
    }

    function candidateKey(uint256 c) public pure returns (uint256) {
        return 0xC0 + c;
    }

    function candidate(uint256 c) public pure returns (address) {
        return _addrOf(candidateKey(c));
    }

    function vmAddr(uint256 key) public pure returns (address) {
        return _addrOf(key);
    }

    function voter(uint256 v) public pure returns (address) {
        return address(uint160(0xB0 + v));
    }

    // ---------------------------------------------------------------- actions

    function register(uint256 c) external {
        c = _first(c, _registrable);
        address who = candidate(c);
        uint256 nonce = registry.registrationNonce(who);
        ICandidateRegistry.Application memory app = _application(who, nonce);
        VM.prank(OPERATOR);
        registry.registerCandidate{value: MIN_DEPOSIT}(app);
        standing[c] = nonce + 1;
        calls[this.register.selector]++;
    }

    function vote(uint256 v, uint256 c, bool revokeFirst, uint256 r) external {
        v = v % VOTERS;
        c = _unapproved(v, c);
        r = r % CANDIDATES;
        address[] memory add = new address[](1);
        add[0] = candidate(c);
        bool revoking = revokeFirst && r != c && _holds(v, candidate(r));
        address[] memory revoke = new address[](revoking ? 1 : 0);
        if (revoking) revoke[0] = candidate(r);
        uint256 before = votes.votesOf(voter(v)).length;
        VM.prank(voter(v));
        votes.vote(add, revoke);
        if (revoking) approved[v][r] = 0;
        approved[v][c] = standing[c];
        if (votes.votesOf(voter(v)).length > before) capAtLastGrowth[v] = votes.maxVotesPerVoter();
        calls[this.vote.selector]++;
    }

    /// @dev The first active candidate from `c` that voter `v` does not approve live yet.
    function _unapproved(uint256 v, uint256 c) private view returns (uint256) {
        for (uint256 i = 0; i < CANDIDATES; ++i) {
            uint256 k = (c + i) % CANDIDATES;
            if (standing[k] != 0 && approved[v][k] != standing[k]) return k;
        }
        return c % CANDIDATES;
    }

    function revokeVote(uint256 v, uint256 c) external {
        v = v % VOTERS;
        c = _first(c, _heldBy(v));
        address[] memory revoke = new address[](1);
        revoke[0] = candidate(c);
        VM.prank(voter(v));
        votes.vote(new address[](0), revoke);
        approved[v][c] = 0;
        calls[this.revokeVote.selector]++;
    }

    function delegate(uint256 v, uint256 to) external {
        VM.prank(voter(v % VOTERS));
        token.delegate(voter(to % VOTERS));
        calls[this.delegate.selector]++;
    }

    function transfer(uint256 from, uint256 to, uint256 amount) external {
        address sender = voter(from % VOTERS);
        amount = amount % (token.balanceOf(sender) + 1);
        VM.prank(sender);
        token.transfer(voter(to % VOTERS), amount);
        calls[this.transfer.selector]++;
    }

    function withdraw(uint256 c) external {
        c = _first(c % REMOVABLE, _active);
        VM.prank(OPERATOR);
        registry.withdraw(candidate(c));
        standing[c] = 0;
        calls[this.withdraw.selector]++;
    }

    function revokeCandidate(uint256 c) external {
        c = _first(c % REMOVABLE, _active);
        registry.revokeCandidate(candidate(c), bytes32("fuzz"));
        standing[c] = 0;
        calls[this.revokeCandidate.selector]++;
    }

    function rotate(uint256 c) external {
        c = _first(c, _active);
        address who = candidate(c);
        uint256 key = _nextKey++;
        bytes32 digest = _typedDigest(
            keccak256(
                abi.encode(
                    registry.SIGNING_KEY_CONSENT_TYPEHASH(),
                    who,
                    OPERATOR,
                    _addrOf(key),
                    registry.registrationNonce(who)
                )
            )
        );
        VM.prank(OPERATOR);
        registry.rotateSigningKey(who, _addrOf(key), _sign(key, digest));
        keyOf[c] = key;
        calls[this.rotate.selector]++;
    }

    function slash(uint256 c, uint64 height, bool precommit) external {
        c = c % SLASHABLE;
        uint8 step = precommit ? 2 : 1;
        bytes32 tag = precommit ? registry.PRECOMMIT_TAG() : registry.PREVOTE_TAG();
        bytes32 a = keccak256(abi.encode("a", height));
        bytes32 b = keccak256(abi.encode("b", height));
        uint256 key = keyOf[c];
        bytes memory sigA = _sign(key, keccak256(abi.encodePacked(tag, L2_CHAIN_ID, height, uint32(0), a)));
        bytes memory sigB = _sign(key, keccak256(abi.encodePacked(tag, L2_CHAIN_ID, height, uint32(0), b)));
        VM.prank(SUBMITTER);
        registry.submitEquivocation(candidate(c), step, height, 0, a, sigA, b, sigB);
        standing[c] = 0;
        slashed[c] = true;
        calls[this.slash.selector]++;
    }

    function refund(uint256 c) external {
        registry.refund(candidate(c % CANDIDATES));
        calls[this.refund.selector]++;
    }

    function withdrawRefund(uint256 who) external {
        address account = [OPERATOR, SUBMITTER, TREASURY][who % 3];
        VM.prank(account);
        registry.withdrawRefund(payable(address(0xD0E)));
        calls[this.withdrawRefund.selector]++;
    }

    function setMaxVotes(uint256 max) external {
        votes.setMaxVotesPerVoter(1 + (max % CANDIDATES));
        calls[this.setMaxVotes.selector]++;
    }

    function setParameters(uint256 unbonding, uint256 fraction) external {
        registry.setUnbondingPeriod(unbonding % 3 days);
        registry.setSlashFraction(fraction % 10_001);
        calls[this.setParameters.selector]++;
    }

    function jump(uint256 seconds_) external {
        VM.warp(block.timestamp + (seconds_ % 2 days));
        VM.roll(block.number + 1);
        calls[this.jump.selector]++;
    }

    // ---------------------------------------------------------------- choosing actors

    /// @dev The first candidate from `c` (cyclically) that `fits`, or `c` itself when none does (the call then
    /// reverts, which is part of the fuzzing too).
    function _first(uint256 c, function(address) view returns (bool) fits) private view returns (uint256) {
        for (uint256 i = 0; i < CANDIDATES; ++i) {
            uint256 k = (c + i) % CANDIDATES;
            if (fits(candidate(k))) return k;
        }
        return c % CANDIDATES;
    }

    function _heldBy(uint256 v) private view returns (function(address) view returns (bool)) {
        return
            v == 0
                ? _heldBy0
                : v == 1
                    ? _heldBy1
                    : v == 2
                        ? _heldBy2
                        : _heldBy3;
    }

    function _heldBy0(address who) private view returns (bool) {
        return _holds(0, who);
    }

    function _heldBy1(address who) private view returns (bool) {
        return _holds(1, who);
    }

    function _heldBy2(address who) private view returns (bool) {
        return _holds(2, who);
    }

    function _heldBy3(address who) private view returns (bool) {
        return _holds(3, who);
    }

    function _holds(uint256 v, address who) private view returns (bool) {
        address[] memory held = votes.votesOf(voter(v));
        for (uint256 k = 0; k < held.length; ++k) if (held[k] == who) return true;
        return false;
    }

    function _active(address who) private view returns (bool) {
        return registry.isCandidate(who);
    }

    function _registrable(address who) private view returns (bool) {
        ICandidateRegistry.CandidateStatus status = registry.getCandidate(who).status;
        return
            status == ICandidateRegistry.CandidateStatus.None || status == ICandidateRegistry.CandidateStatus.Refunded;
    }

    // ---------------------------------------------------------------- signing helpers

    function _application(address who, uint256 nonce) private view returns (ICandidateRegistry.Application memory app) {
        app.candidate = who;
        app.operator = OPERATOR;
        app.qualificationHash = keccak256(abi.encode(who));
        app.signatures = new ICandidateRegistry.AuditorSignature[](THRESHOLD);
        uint64 expires = uint64(block.timestamp + 365 days);
        bytes32 credential = _typedDigest(
            keccak256(
                abi.encode(
                    registry.CREDENTIAL_TYPEHASH(),
                    who,
                    OPERATOR,
                    app.qualificationHash,
                    true,
                    uint64(block.timestamp),
                    expires,
                    nonce
                )
            )
        );
        for (uint256 i = 0; i < THRESHOLD; ++i) {
            app.signatures[i] = ICandidateRegistry.AuditorSignature(
                true,
                uint64(block.timestamp),
                expires,
                _sign(auditorKey(i), credential)
            );
        }
        bytes32 consent = _typedDigest(
            keccak256(abi.encode(registry.CANDIDATE_CONSENT_TYPEHASH(), who, OPERATOR, nonce))
        );
        app.consentSignature = _sign(_keyOfAddress(who), consent);
    }

    function _keyOfAddress(address who) private pure returns (uint256) {
        for (uint256 c = 0; c < CANDIDATES; ++c) if (_addrOf(candidateKey(c)) == who) return candidateKey(c);
        return 0;
    }

    function _typedDigest(bytes32 structHash) private view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("CandidateRegistry"),
                keccak256("1"),
                block.chainid,
                address(registry)
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _addrOf(uint256 key) private pure returns (address) {
        return VM.addr(key);
    }
}
