// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IAuditorRegistry
/// @notice The auditor set and the threshold M: how many distinct auditors must sign a credential.
/// Invariant: 1 <= threshold <= max(auditorCount, 1) and address(0) is never an auditor.
interface IAuditorRegistry {
    /// @notice address(0) cannot be an auditor.
    error AuditorRegistryZeroAddress();
    /// @notice `auditor` is already in the set.
    error AuditorRegistryAlreadyAuditor(address auditor);
    /// @notice `auditor` is not in the set.
    error AuditorRegistryNotAuditor(address auditor);
    /// @notice `threshold` would break 1 <= threshold <= max(auditorCount, 1).
    error AuditorRegistryInvalidThreshold(uint256 threshold, uint256 auditorCount);
    /// @notice renounceOwnership is disabled: the registry must always have an owner.
    error AuditorRegistryRenounceDisabled();

    /// @notice `auditor` joined the set.
    event AuditorAdded(address indexed auditor);
    /// @notice `auditor` left the set.
    event AuditorRemoved(address indexed auditor);
    /// @notice The number of auditor signatures required went from `oldThreshold` to `newThreshold`.
    event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold);

    /// @notice Adds `auditor` to the set (owner only).
    function addAuditor(address auditor) external;

    /// @notice Removes `auditor` from the set (owner only); reverts if the threshold would exceed the set.
    function removeAuditor(address auditor) external;

    /// @notice Sets the threshold M (owner only).
    function setThreshold(uint256 threshold) external;

    /// @notice Whether `account` is a current auditor.
    function isAuditor(address account) external view returns (bool);

    /// @notice The number of distinct auditor signatures a credential or revocation needs.
    function threshold() external view returns (uint256);

    /// @notice The current auditors, in no particular order.
    function auditors() external view returns (address[] memory);
}
