/** Rows of the messaging tables (project migration 0010); booleans are 0/1 and lists JSON text. */
export interface ProviderRow {
  id: string;
  name: string;
  provider: string;
  type: string;
  enabled: number;
  credentials: string;
  options: string;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface TopicRow {
  id: string;
  name: string;
  subscribe: string;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface SubscriberRow {
  id: string;
  topic_id: string;
  target_id: string;
  user_id: string;
  provider_type: string;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  id: string;
  provider_type: string;
  topics: string;
  users: string;
  targets: string;
  data: string;
  status: string;
  scheduled_at: string | null;
  delivered_at: string | null;
  delivery_errors: string;
  delivered_total: number;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface DeliveryRow {
  message_id: string;
  target_id: string;
  state: 'sending' | 'sent' | 'failed';
  error: string | null;
  updated_at: string;
}

/** Tables of a project's store that hold its messaging providers, topics, messages and deliveries. */
export interface MessagingTables {
  messaging_providers: ProviderRow;
  messaging_topics: TopicRow;
  messaging_subscribers: SubscriberRow;
  messaging_messages: MessageRow;
  messaging_deliveries: DeliveryRow;
}
