// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PackedBallot
/// @notice One voter's approvals stored as packed uint32 candidate listing indices.
/// Word 0 holds the count (8 bits), the EIP-712 nonce (56 bits) and the first 6 indices; every further word
/// holds 8 indices. A first-time voter approving up to 6 candidates therefore writes a single new slot.
/// Words are loaded into memory once, edited there, and only changed words are written back.
library PackedBallot {
    uint256 internal constant HEAD_ENTRIES = 6;
    uint256 internal constant WORD_ENTRIES = 8;
    /// @notice The most entries a ballot can hold (the count is 8 bits).
    uint256 internal constant MAX_ENTRIES = 255;
    uint256 private constant COUNT_MASK = 0xff;
    uint256 private constant NONCE_MASK = (1 << 56) - 1;
    uint256 private constant ENTRY_MASK = 0xffffffff;

    /// @notice A ballot unpacked in memory: `entries[0..count)` are the approved candidate indices.
    struct Ballot {
        uint256 count;
        uint256 nonce;
        uint256[] entries;
        uint256[] words; // the words as loaded, to skip unchanged writes
    }

    /// @notice The count and nonce held in word 0.
    function header(mapping(uint256 => uint256) storage slots) internal view returns (uint256 count, uint256 nonce) {
        uint256 head = slots[0];
        return (head & COUNT_MASK, (head >> 8) & NONCE_MASK);
    }

    /// @notice Loads a ballot into memory with room for `extra` more entries.
    function load(mapping(uint256 => uint256) storage slots, uint256 extra) internal view returns (Ballot memory b) {
        uint256 head = slots[0];
        b.count = head & COUNT_MASK;
        b.nonce = (head >> 8) & NONCE_MASK;
        b.entries = new uint256[](b.count + extra);
        b.words = new uint256[](wordsFor(b.count + extra));
        b.words[0] = head;
        uint256 used = wordsFor(b.count);
        for (uint256 w = 1; w < used; ++w) {
            b.words[w] = slots[w];
        }
        for (uint256 k = 0; k < b.count; ++k) {
            (uint256 w, uint256 shift) = position(k);
            b.entries[k] = (b.words[w] >> shift) & ENTRY_MASK;
        }
    }

    /// @notice Writes back the words of `b` that changed; words no longer used are cleared.
    function store(mapping(uint256 => uint256) storage slots, Ballot memory b) internal {
        uint256[] memory fresh = new uint256[](b.words.length);
        fresh[0] = b.count | (b.nonce << 8);
        for (uint256 k = 0; k < b.count; ++k) {
            (uint256 w, uint256 shift) = position(k);
            fresh[w] |= b.entries[k] << shift;
        }
        for (uint256 w = 0; w < fresh.length; ++w) {
            if (fresh[w] != b.words[w]) slots[w] = fresh[w];
        }
    }

    /// @notice Whether the ballot holds `entry`, and at which position.
    function find(Ballot memory b, uint256 entry) internal pure returns (bool found, uint256 k) {
        for (k = 0; k < b.count; ++k) {
            if (b.entries[k] == entry) return (true, k);
        }
        return (false, 0);
    }

    /// @notice Removes entry `k` by moving the last entry into its place (order is not kept).
    function removeAt(Ballot memory b, uint256 k) internal pure {
        b.count -= 1;
        b.entries[k] = b.entries[b.count];
    }

    /// @notice Appends `entry`; the caller has checked the room.
    function append(Ballot memory b, uint256 entry) internal pure {
        b.entries[b.count] = entry;
        b.count += 1;
    }

    /// @notice How many words hold `count` entries (at least the header word).
    function wordsFor(uint256 count) internal pure returns (uint256) {
        if (count <= HEAD_ENTRIES) return 1;
        return 1 + (count - HEAD_ENTRIES + WORD_ENTRIES - 1) / WORD_ENTRIES;
    }

    /// @notice The word and bit offset of entry `k`.
    function position(uint256 k) internal pure returns (uint256 word, uint256 shift) {
        if (k < HEAD_ENTRIES) return (0, 64 + 32 * k);
        uint256 rest = k - HEAD_ENTRIES;
        return (1 + rest / WORD_ENTRIES, 32 * (rest % WORD_ENTRIES));
    }
}
