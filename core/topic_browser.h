#pragma once
// The topic browser's Kafka side (filled in with the Topics view).
