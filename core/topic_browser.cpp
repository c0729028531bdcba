#include "topic_browser.h"
