from . import feed_rows
from . import feed_writer
