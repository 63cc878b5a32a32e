#include "crops/crop_shards.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <mtcnn/alignment.hpp>
#include <nlohmann/json.hpp>
#include <system_error>

#include "common/exit_status.hpp"
#include "crops/face_crops.hpp"
#include "records/image_error.hpp"
#include "records/landmark_names.hpp"
#include "records/record.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

nlohmann::ordered_json point(double x, double y) {
  return {round_to(x, kCoordinateDecimals), round_to(y, kCoordinateDecimals)};
}

// The sample's metadata, as the training side needs it to trace a crop back to its photo.
std::string sample_json(const Record& record, const FaceCrop& crop, const CropOptions& options) {
  const mtcnn::Face& face = record.faces[crop.face];
  nlohmann::ordered_json in_photo, in_crop;
  for (int i = 0; i < mtcnn::kLandmarkCount; ++i) {
    const cv::Point2f& p = face.landmarks[i];
    const cv::Matx23d& m = crop.matrix;
    in_photo[kLandmarkNames[i]] = point(p.x, p.y);
    in_crop[kLandmarkNames[i]] =
        point(m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2), m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2));
  }
  nlohmann::ordered_json matrix = nlohmann::ordered_json::array();
  for (int r = 0; r < 2; ++r) {
    matrix.push_back({round_to(crop.matrix(r, 0), 6), round_to(crop.matrix(r, 1), 6),
                      round_to(crop.matrix(r, 2), 6)});
  }
  const nlohmann::ordered_json json = {
      {"path", record.path},
      {"face", crop.face},
      {"box",
       {round_to(face.box.x, kCoordinateDecimals), round_to(face.box.y, kCoordinateDecimals),
        round_to(face.box.width, kCoordinateDecimals),
        round_to(face.box.height, kCoordinateDecimals)}},
      {"score", round_to(face.score, kScoreDecimals)},
      {"landmarks", in_photo},
      {"crop_landmarks", in_crop},
      {"matrix", matrix},
      {"template", options.crop_template == CropTemplate::kBox ? "box" : "arcface"},
      {"size", options.size}};
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// One member with fixed owner, mode and time, so the same crops make the same bytes.
void add_member(archive* a, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, name.c_str());
  archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_mtime(entry, 0, 0);
  const bool ok =
      archive_write_header(a, entry) == ARCHIVE_OK &&
      archive_write_data(a, bytes.data(), bytes.size()) == static_cast<la_ssize_t>(bytes.size());
  archive_entry_free(entry);
  if (!ok) throw std::runtime_error(archive_error_string(a) ? archive_error_string(a) : "tar");
}

// NAME.partial: a shard still being written.
fs::path partial_shard(const fs::path& shard) {
  fs::path partial = shard;
  partial += ".partial";
  return partial;
}

}  // namespace

CropShards::CropShards(CropOptions options) : options_(std::move(options)) {
  const fs::path first = shard_path(0);
  std::error_code ec;
  if (first.has_parent_path()) fs::create_directories(first.parent_path(), ec);
  if (ec) {
    throw SetupError("cannot create the --crops folder " + first.parent_path().string() + ": " +
                     ec.message());
  }
}

CropShards::~CropShards() {
  // An unfinished batch: the shard stays as NAME.partial, with every sample it got, for --resume.
  if (archive_ != nullptr) archive_write_free(archive_);
}

fs::path CropShards::shard_path(std::size_t index) const {
  const std::string& pattern = *options_.target;
  const int length = std::snprintf(nullptr, 0, pattern.c_str(), static_cast<int>(index));
  std::string name(static_cast<std::size_t>(length) + 1, '\0');
  std::snprintf(name.data(), name.size(), pattern.c_str(), static_cast<int>(index));
  name.pop_back();
  return name;
}

std::string CropShards::sample_key(const fs::path& mirror, std::size_t face) {
  fs::path stem = mirror;
  std::string key = stem.replace_extension().generic_string();
  const std::size_t slash = key.rfind('/');
  for (std::size_t i = slash == std::string::npos ? 0 : slash + 1; i < key.size(); ++i) {
    if (key[i] == '.') key[i] = '_';
  }
  return key + "_" + std::to_string(face);
}

std::vector<PreparedFile> CropShards::prepare(const Record& record, const fs::path& mirror,
                                              const cv::Mat& image) const {
  std::vector<PreparedFile> files;
  for (const FaceCrop& crop : make_face_crops(image, record.faces, options_)) {
    const std::string key = sample_key(mirror, crop.face);
    files.push_back(
        {key + crop_extension(options_), encode_crop(crop.pixels, options_), crop.face});
    const std::string json = sample_json(record, crop, options_);
    files.push_back({key + ".json", {json.begin(), json.end()}, crop.face});
  }
  return files;
}

void CropShards::open_shard(std::size_t index) {
  open_path_ = shard_path(index);
  shard_index_ = index + 1;
  archive_ = archive_write_new();
  archive_write_set_format_pax_restricted(archive_);
  // Unblocked: each member reaches the file as it is written (a kill keeps what went in), and
  // the shard's size does not depend on where a resumed run picked it up.
  archive_write_set_bytes_per_block(archive_, 0);
  if (archive_write_open_filename(archive_, partial_shard(open_path_).c_str()) != ARCHIVE_OK) {
    const std::string message = archive_error_string(archive_);
    archive_write_free(archive_);
    archive_ = nullptr;
    // Not one image's problem: no later shard could be written either.
    throw std::runtime_error("cannot create " + open_path_.string() + ": " + message);
  }
  samples_in_shard_ = 0;
}

void CropShards::close_shard() {
  if (archive_ == nullptr) return;
  const bool closed = archive_write_close(archive_) == ARCHIVE_OK;
  const std::string message = closed ? "" : archive_error_string(archive_);
  archive_write_free(archive_);
  archive_ = nullptr;
  std::error_code ec;
  if (closed) fs::rename(partial_shard(open_path_), open_path_, ec);
  if (!closed || ec) {
    throw std::runtime_error("cannot write " + open_path_.string() + ": " +
                             (closed ? ec.message() : message));
  }
}

std::size_t CropShards::shard_index_of(const std::string& path) const {
  for (std::size_t i = 0; i <= 100'000'000; ++i) {
    if (shard_path(i) == path) return i;
    // Names are made from increasing numbers: past the right length there is no match.
    if (shard_path(i).string().size() > path.size()) break;
  }
  throw std::runtime_error("a record names the crop shard " + path +
                           ", which --crops does not make");
}

void CropShards::resume_after(const std::vector<std::string>& kept_crops) {
  std::size_t index = 0, samples = 0;
  if (!kept_crops.empty()) {
    const std::string& last = kept_crops.back();
    const std::string shard = last.substr(0, last.rfind(':'));
    index = shard_index_of(shard);
    for (const std::string& crop : kept_crops) samples += crop.rfind(shard + ":", 0) == 0;
  }
  const fs::path shard = shard_path(index);
  std::error_code ec;
  if (samples == options_.per_shard && fs::exists(shard)) {
    // The last kept sample filled its shard: the next one starts fresh.
    fs::remove(partial_shard(shard_path(index + 1)), ec);
    shard_index_ = index + 1;
    return;
  }
  // Rebuild the shard from what the killed run wrote, keeping `samples` samples (two members
  // each), streaming member by member into a fresh NAME.partial.
  const fs::path old_partial = partial_shard(shard);
  const fs::path source = fs::exists(old_partial) ? old_partial : shard;
  const fs::path moved = fs::path(old_partial.string() + ".old");
  if (samples > 0 && !fs::exists(source)) {
    throw std::runtime_error("the records name crops in " + shard.string() +
                             ", which is gone: its samples cannot be kept");
  }
  if (fs::exists(source)) fs::rename(source, moved);
  fs::remove(partial_shard(shard_path(index + 1)), ec);
  open_shard(index);
  if (samples > 0) {
    archive* in = archive_read_new();
    archive_read_support_format_tar(in);
    std::size_t members = 0;
    if (archive_read_open_filename(in, moved.c_str(), 1 << 16) == ARCHIVE_OK) {
      archive_entry* entry = nullptr;
      while (members < 2 * samples && archive_read_next_header(in, &entry) == ARCHIVE_OK) {
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(archive_entry_size(entry)));
        if (archive_read_data(in, bytes.data(), bytes.size()) !=
            static_cast<la_ssize_t>(bytes.size())) {
          break;  // torn
        }
        add_member(archive_, archive_entry_pathname(entry), bytes);
        ++members;
      }
    }
    archive_read_free(in);
    if (members < 2 * samples) {
      throw std::runtime_error(shard.string() + " holds " + std::to_string(members / 2) +
                               " whole samples where the records name " + std::to_string(samples));
    }
    samples_in_shard_ = samples;
  }
  fs::remove(moved, ec);
}

void CropShards::commit(Record& record, std::vector<PreparedFile>& files) {
  record.crops.assign(record.faces.size(), std::nullopt);
  // Files come in pairs (image, metadata) per face; a shard never splits a sample.
  for (std::size_t i = 0; i + 1 < files.size(); i += 2) {
    if (archive_ == nullptr || samples_in_shard_ == options_.per_shard) {
      close_shard();
      open_shard(shard_index_);
    }
    try {
      add_member(archive_, files[i].name.generic_string(), files[i].bytes);
      add_member(archive_, files[i + 1].name.generic_string(), files[i + 1].bytes);
    } catch (const std::exception& e) {
      // A shard with a broken member cannot be trusted: the batch stops.
      throw std::runtime_error("cannot write " + open_path_.string() + ": " + e.what());
    }
    ++samples_in_shard_;
    record.crops.at(*files[i].face) = open_path_.string() + ":" + files[i].name.generic_string();
  }
}

void CropShards::finish() { close_shard(); }

}  // namespace mtcnn::cli
