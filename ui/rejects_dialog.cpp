#include "rejects_dialog.h"
