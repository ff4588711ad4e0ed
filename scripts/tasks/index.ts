// The registry tasks, registered by importing this file from hardhat.config.ts.
import "./deploy";
import "./add-auditor";
import "./sign-credential";
import "./register-candidate";
import "./vote";
import "./withdraw";
import "./refund";
import "./withdraw-refund";
import "./submit-evidence";
import "./list-candidates";
import "./list-votes";
import "./decodeRegistryErrors";
import "./voting-power";
