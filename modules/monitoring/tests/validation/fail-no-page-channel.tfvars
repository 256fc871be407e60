# expect: notification_channels.page needs at least one channel
notification_channels = { page = [] }
