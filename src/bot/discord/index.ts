export {
  type ApprovalClick,
  type ApprovalClickResult,
  type ApprovalDesk,
  opsApprovalDesk,
} from "./approval-desk.js";
export { type Access, type AccessConfig, authorize, type Caller } from "./authorize.js";
export { type ApprovalButton, approvalButtons, buttonId, parseButtonId, type Verdict } from "./buttons.js";
export {
  builtinCommands,
  type ChatUser,
  type CommandContext,
  type CommandModule,
  type CommandReply,
  commandRegistry,
} from "./commands/index.js";
export { deployCommands } from "./deploy-commands.js";
export { DiscordChat, type DiscordChatDeps } from "./discord-chat.js";
export { DiscordFatalError } from "./discord-errors.js";
