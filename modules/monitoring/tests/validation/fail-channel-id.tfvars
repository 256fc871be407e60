# expect: notification_channels entries must be ids of the form projects/PROJECT/notificationChannels/NUMBER.
notification_channels = { page = ["pagerduty-prod"] }
