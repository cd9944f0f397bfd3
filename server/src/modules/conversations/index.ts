// What other modules may import from conversations.
export {
  createConversations,
  type Conversations,
  type ConversationViewer,
} from './conversations.service.ts';
export { conversationsRoutes } from './conversations.routes.ts';
export { exportMessagesOfUser } from './conversations.privacy.ts';
