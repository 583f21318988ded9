"""Outbound webhooks: what mocksnap POSTs to the URLs a world subscribes (the Integration API, the
Conversation Events API, the Agent Status API's outbound side). `payloads` builds the bodies; `case_facts`
holds what the Logs API and the Integration payloads (JSON and XML) report about a case, computed once."""
