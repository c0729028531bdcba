#include "topics_view.h"
