// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PackedBallot
/// @notice One voter's approvals stored as packed 48-bit entries: a candidate's 24-bit listing index and the
/// 24-bit registration (the candidate's registrationNonce) the approval was cast for.
/// Word 0 holds the count (bits 0-7), the EIP-712 nonce (bits 8-63) and entries 0-3; every further word holds
/// 5 entries. A first-time voter approving up to 4 candidates therefore writes a single new slot.
/// A ballot is loaded into memory once, edited there in place, and only the words that changed are written
/// back; words no longer used are cleared (a gas refund, and storage beyond the count is always zero).
/// The 56-bit nonce cannot overflow in practice: it would take 7e16 signed votes from one voter.
library PackedBallot {
    uint256 internal constant HEAD_ENTRIES = 4;
    uint256 internal constant WORD_ENTRIES = 5;
    uint256 internal constant ENTRY_BITS = 48;
    /// @notice The most entries a ballot can hold (the count is 8 bits).
    uint256 internal constant MAX_ENTRIES = 255;
    uint256 private constant COUNT_MASK = 0xff;
    uint256 private constant NONCE_MASK = (1 << 56) - 1;
    uint256 private constant HEADER_MASK = (1 << 64) - 1;
    uint256 private constant ENTRY_MASK = (1 << 48) - 1;
    uint256 private constant INDEX_MASK = (1 << 24) - 1;

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

    /// @notice Adds one to the nonce in word 0 and returns the new nonce.
    function bumpNonce(mapping(uint256 => uint256) storage slots) internal returns (uint256 nonce) {
        uint256 head = slots[0];
        nonce = ((head >> 8) & NONCE_MASK) + 1;
        slots[0] = (head & ~(NONCE_MASK << 8)) | (nonce << 8);
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

    /// @notice The entry for listing index `index` and registration `registration`.
    function entry(uint256 index, uint256 registration) internal pure returns (uint256) {
        return index | (registration << 24);
    }

    /// @notice The listing index and the registration of entry `k` (k < count).
    function get(Ballot memory b, uint256 k) internal pure returns (uint256 index, uint256 registration) {
        (uint256 w, uint256 shift) = position(k);
        uint256 e = (b.words[w] >> shift) & ENTRY_MASK;
        return (e & INDEX_MASK, e >> 24);
    }

    /// @notice Whether the ballot holds an entry for listing index `index`, at which position, and for which
    /// registration. Scans at most `count` entries, shifting through each word rather than recomputing
    /// positions (this loop is the cost of a vote that adds many).
    function find(Ballot memory b, uint256 index) internal pure returns (bool found, uint256 k, uint256 registration) {
        uint256 count = b.count;
        uint256 word = b.words[0] >> 64;
        uint256 left = HEAD_ENTRIES;
        uint256 w = 0;
        // Unchecked: k < count <= 255, left in 0..5, and w stays within the words that hold count entries.
        unchecked {
            for (k = 0; k < count; ++k) {
                if (left == 0) {
                    word = b.words[++w];
                    left = WORD_ENTRIES;
                }
                if (word & INDEX_MASK == index) return (true, k, (word & ENTRY_MASK) >> 24);
                word >>= ENTRY_BITS;
                --left;
            }
        }
        return (false, 0, 0);
    }

    /// @notice Replaces entry `k` (k < count) by `value`.
    function replaceAt(Ballot memory b, uint256 k, uint256 value) internal pure {
        _set(b, k, value);
    }

    /// @notice Removes entry `k` by moving the last entry into its place (order is not kept).
    function removeAt(Ballot memory b, uint256 k) internal pure {
        uint256 last = b.count - 1;
        (uint256 w, uint256 shift) = position(last);
        _set(b, k, (b.words[w] >> shift) & ENTRY_MASK);
        _set(b, last, 0);
        b.count = last;
    }

    /// @notice Appends `value` (an entry); the caller has checked the room.
    function append(Ballot memory b, uint256 value) internal pure {
        _set(b, b.count, value);
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
            if (k < HEAD_ENTRIES) return (0, 64 + ENTRY_BITS * k);
            uint256 rest = k - HEAD_ENTRIES;
            return (1 + rest / WORD_ENTRIES, ENTRY_BITS * (rest % WORD_ENTRIES));
        }
    }

    function _set(Ballot memory b, uint256 k, uint256 value) private pure {
        (uint256 w, uint256 shift) = position(k);
        b.words[w] = (b.words[w] & ~(ENTRY_MASK << shift)) | (value << shift);
    }
}
