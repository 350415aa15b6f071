import CityWatchAPI
import Vapor
import Histogram
import ArgumentParser
import ServiceLifecycle
print("x")
