"""The development payment gateway: one simulated payment company serving all four channels.

It keeps its own ledger (DevGatewayTransaction), shows a cashier page where a person chooses
支付成功 / 支付失败 / 放弃, and sends signed asynchronous notifications that may arrive normally,
late, twice or never. Mounted only in demo mode or with the dev inbox (never in production)."""
