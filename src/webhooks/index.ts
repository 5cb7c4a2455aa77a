export { webhookUrlProblem } from './webhook-url';
export {
  generateWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './webhook-signature';
export { WebhooksModule } from './webhooks.module';
export { WebhookOutbox } from './webhook-outbox.service';
export { WebhookDeliveryService } from './webhook-delivery.service';
