// Custom statuses (how long they last, the suggested ones, until when) as
// shown beside names and offered in the status dialog.
export default {
  'users.someone': 'Someone',
  'users.duration.dontClear': "Don't clear",
  'users.duration.thirtyMinutes': '30 minutes',
  'users.duration.oneHour': '1 hour',
  'users.duration.fourHours': '4 hours',
  'users.duration.today': 'Today',
  'users.duration.thisWeek': 'This week',
  'users.duration.dateAndTime': 'Choose date and time',
  'users.suggested.meeting': 'In a meeting',
  'users.suggested.lunch': 'Out for lunch',
  'users.suggested.sick': 'Out sick',
  'users.suggested.home': 'Working from home',
  'users.suggested.vacation': 'On a vacation',
  'users.until.time': 'Until {time}',
  'users.until.tomorrow': 'Until tomorrow {time}',
  'users.until.weekday': 'Until {day} {time}',
  'users.until.date': 'Until {date} {time}',
} as const
