"""Back-office pages. Each module is one area; every view but the login is `staff_required`."""
