// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IAuditorRegistry} from "./interfaces/IAuditorRegistry.sol";

/// @title AuditorRegistry
/// @notice Owner-managed auditor set and signature threshold M. The constructor emits AuditorAdded and
/// ThresholdChanged for its initial values, so the events from the deployment block rebuild the state.
contract AuditorRegistry is IAuditorRegistry, Ownable2Step {
    using EnumerableSet for EnumerableSet.AddressSet;

    EnumerableSet.AddressSet private _auditors;
    uint256 private _threshold;

    constructor(
        address initialOwner,
        address[] memory initialAuditors,
        uint256 initialThreshold
    ) Ownable(initialOwner) {
        for (uint256 i = 0; i < initialAuditors.length; ++i) {
            _addAuditor(initialAuditors[i]);
        }
        _setThreshold(initialThreshold);
    }

    /// @inheritdoc IAuditorRegistry
    function addAuditor(address auditor) external onlyOwner {
        _addAuditor(auditor);
    }

    /// @inheritdoc IAuditorRegistry
    function removeAuditor(address auditor) external onlyOwner {
        if (!_auditors.remove(auditor)) revert AuditorRegistryNotAuditor(auditor);
        // Removing the last auditor is allowed (M then waits for new auditors); otherwise M must still fit.
        _checkThreshold(_threshold, _auditors.length());
        emit AuditorRemoved(auditor);
    }

    /// @inheritdoc IAuditorRegistry
    function setThreshold(uint256 newThreshold) external onlyOwner {
        _setThreshold(newThreshold);
    }

    /// @notice Disabled: a registry without an owner could never change its auditors again.
    function renounceOwnership() public pure override {
        revert AuditorRegistryRenounceDisabled();
    }

    /// @inheritdoc IAuditorRegistry
    function isAuditor(address account) external view returns (bool) {
        return _auditors.contains(account);
    }

    /// @inheritdoc IAuditorRegistry
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc IAuditorRegistry
    function auditors() external view returns (address[] memory) {
        return _auditors.values();
    }

    function _addAuditor(address auditor) private {
        if (auditor == address(0)) revert AuditorRegistryZeroAddress();
        if (!_auditors.add(auditor)) revert AuditorRegistryAlreadyAuditor(auditor);
        emit AuditorAdded(auditor);
    }

    function _setThreshold(uint256 newThreshold) private {
        _checkThreshold(newThreshold, _auditors.length());
        emit ThresholdChanged(_threshold, newThreshold);
        _threshold = newThreshold;
    }

    /// @dev 1 <= threshold <= max(auditorCount, 1): with no auditor left, M stays at most 1 so the first new
    /// auditor restores a usable quorum.
    function _checkThreshold(uint256 newThreshold, uint256 auditorCount) private pure {
        uint256 ceiling = auditorCount == 0 ? 1 : auditorCount;
        if (newThreshold == 0 || newThreshold > ceiling) {
            revert AuditorRegistryInvalidThreshold(newThreshold, auditorCount);
        }
    }
}
