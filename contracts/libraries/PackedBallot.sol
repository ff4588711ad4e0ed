// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PackedBallot
/// @notice One voter's approvals stored as packed uint32 candidate listing indices.
/// Word 0 holds the count (bits 0-7), the EIP-712 nonce (bits 8-63) and entries 0-5; every further word holds
/// 8 entries. A first-time voter approving up to 6 candidates therefore writes a single new slot.
/// A ballot is loaded into memory once, edited there in place, and only the words that changed are written
/// back; words no longer used are cleared (a gas refund, and storage beyond the count is always zero).
/// The 56-bit nonce cannot overflow in practice: it would take 7e16 signed votes from one voter.
library PackedBallot {
    uint256 internal constant HEAD_ENTRIES = 6;
    uint256 internal constant WORD_ENTRIES = 8;
    /// @notice The most entries a ballot can hold (the count is 8 bits).
    uint256 internal constant MAX_ENTRIES = 255;
    uint256 private constant COUNT_MASK = 0xff;
    uint256 private constant NONCE_MASK = (1 << 56) - 1;
    uint256 private constant HEADER_MASK = (1 << 64) - 1;
    uint256 private constant ENTRY_MASK = 0xffffffff;

    /// @notice A ballot in memory: `count` entries packed in `words`, and the words as loaded.
    struct Ballot {
        uint256 count;
        uint256 nonce;
        uint256[] words;
        uint256[] loaded;
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
        b.words = new uint256[](wordsFor(b.count + extra));
        b.loaded = new uint256[](b.words.length);
        uint256 used = wordsFor(b.count);
        for (uint256 w = 0; w < used; ++w) {
            uint256 word = w == 0 ? head : slots[w];
            b.words[w] = word;
            b.loaded[w] = word;
        }
    }

    /// @notice Writes back the words of `b` that changed since it was loaded.
    function store(mapping(uint256 => uint256) storage slots, Ballot memory b) internal {
        b.words[0] = (b.words[0] & ~HEADER_MASK) | b.count | (b.nonce << 8);
        for (uint256 w = 0; w < b.words.length; ++w) {
            if (b.words[w] != b.loaded[w]) slots[w] = b.words[w];
        }
    }

    /// @notice Entry `k` (k < count).
    function get(Ballot memory b, uint256 k) internal pure returns (uint256) {
        (uint256 w, uint256 shift) = position(k);
        return (b.words[w] >> shift) & ENTRY_MASK;
    }

    /// @notice Whether the ballot holds `entry`, and at which position. Scans at most `count` entries, shifting
    /// through each word rather than recomputing positions (this loop is the cost of a vote that adds many).
    function find(Ballot memory b, uint256 entry) internal pure returns (bool found, uint256 k) {
        uint256 count = b.count;
        uint256 word = b.words[0] >> 64;
        uint256 left = HEAD_ENTRIES;
        uint256 w = 0;
        // Unchecked: k < count <= 255, left in 0..8, and w stays within the words that hold count entries.
        unchecked {
            for (k = 0; k < count; ++k) {
                if (left == 0) {
                    word = b.words[++w];
                    left = WORD_ENTRIES;
                }
                if (word & ENTRY_MASK == entry) return (true, k);
                word >>= 32;
                --left;
            }
        }
        return (false, 0);
    }

    /// @notice Removes entry `k` by moving the last entry into its place (order is not kept).
    function removeAt(Ballot memory b, uint256 k) internal pure {
        uint256 last = b.count - 1;
        _set(b, k, get(b, last));
        _set(b, last, 0);
        b.count = last;
    }

    /// @notice Appends `entry` (a uint32 listing index); the caller has checked the room.
    function append(Ballot memory b, uint256 entry) internal pure {
        _set(b, b.count, entry);
        b.count += 1;
    }

    /// @notice How many words hold `count` entries (at least the header word).
    function wordsFor(uint256 count) internal pure returns (uint256) {
        if (count <= HEAD_ENTRIES) return 1;
        return 1 + (count - HEAD_ENTRIES + WORD_ENTRIES - 1) / WORD_ENTRIES;
    }

    /// @notice The word and bit offset of entry `k`.
    function position(uint256 k) internal pure returns (uint256 word, uint256 shift) {
        unchecked {
            if (k < HEAD_ENTRIES) return (0, 64 + 32 * k);
            uint256 rest = k - HEAD_ENTRIES;
            return (1 + rest / WORD_ENTRIES, 32 * (rest % WORD_ENTRIES));
        }
    }

    function _set(Ballot memory b, uint256 k, uint256 entry) private pure {
        (uint256 w, uint256 shift) = position(k);
        b.words[w] = (b.words[w] & ~(ENTRY_MASK << shift)) | (entry << shift);
    }
}
