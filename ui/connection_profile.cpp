#include "connection_profile.h"
